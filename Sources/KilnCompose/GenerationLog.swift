internal import Foundation
internal import KilnCore

/// The generation log of one compose, `<target_dir>/.logs/odcs-<id>.log`: written as the generator works (httpd
/// serves it at `<toplevel_url>/pungi-stderr.log` meanwhile, which the ODCS client tails) and copied into the
/// finished compose as `pungi-stderr.log`.
public final class GenerationLog {
    public let path: String
    private let handle: FileHandle?

    public init(directory: String, name: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/" + name + ".log"
        FileManager.default.createFile(atPath: path, contents: nil)
        handle = FileHandle(forWritingAtPath: path)
    }

    deinit { try? handle?.close() }

    private let formatter: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()

    /// One timestamped line (UTC, milliseconds). Control characters in `line` (a newline in a package name) are
    /// escaped: one call, one line. Always at the end of the file: a tool the generator runs (Pungi) may append
    /// its own output to the same file meanwhile.
    public func write(_ line: String) {
        _ = try? handle?.seekToEnd()
        handle?.write(Data("\(formatter.string(from: Date())) \(LogText.escaped(line))\n".utf8))
    }
}
