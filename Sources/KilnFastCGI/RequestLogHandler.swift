internal import KilnCore
public import Logging
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// Writes one `key=value` line per event to stderr and keeps the warning-and-worse lines of a request so the
/// server can send them down the FastCGI error stream (httpd's error log).
public struct RequestLogHandler: LogHandler {
    public final class Sink: Sendable {
        // Lines collected while one request runs; only its worker thread and the logger write here.
        private let lines = Mutex<[String]>([])
        public init() {}
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        public func drain() -> [String] {
            lines.withLock { l in
                defer { l = [] }
                return l
            }
        }
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let sink: Sink?

    public init(label: String, level: Logger.Level, sink: Sink? = nil) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = "\(Self.timestamp()) \(event.level) \(label): \(LogText.escaped("\(event.message)"))"
        for key in merged.keys.sorted() { line += " \(key)=\(LogText.escaped("\(merged[key]!)"))" }
        let text = line + "\n"
        _ = text.utf8.withContiguousStorageIfAvailable { Glibc.write(2, $0.baseAddress, $0.count) }
        if event.level >= .warning { sink?.append(line) }
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int32, _ w: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T\(pad(parts.tm_hour)):"
            + "\(pad(parts.tm_min)):\(pad(parts.tm_sec)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}
