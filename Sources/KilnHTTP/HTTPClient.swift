internal import CCurl
#if canImport(Glibc)
internal import Glibc
#endif

/// A blocking HTTP client over one reused libcurl easy handle (keep-alive connections, DNS and TLS sessions are
/// reused between requests).
///
/// Not Sendable: one thread at a time, like the handle it owns. Every request blocks, so the request methods are
/// `noasync`; call them from a dedicated thread.
///
/// `get`, `head` and `post` return any HTTP status; only transport failures throw. `download` accepts only 2xx.
public final class HTTPClient {
    public let configuration: Configuration
    private let easy: CurlEasy

    public init(configuration: Configuration = Configuration()) throws(HTTPClientError) {
        self.configuration = configuration
        easy = try CurlEasy()
    }

    @available(*, noasync, message: "libcurl blocks; call from a dedicated thread")
    public func get(_ url: String, headers: [String: String] = [:]) throws(HTTPClientError) -> HTTPClientResponse {
        let sink = TransferSink()
        try prepare(url: url, headers: headers, sink: sink)
        try easy.set(CURLOPT_HTTPGET, true, url: url)
        return try run(url: url, sink: sink)
    }

    /// A HEAD request: status and headers, no body. Handy to probe whether a file exists (404) before downloading.
    @available(*, noasync, message: "libcurl blocks; call from a dedicated thread")
    public func head(_ url: String, headers: [String: String] = [:]) throws(HTTPClientError) -> HTTPClientResponse {
        let sink = TransferSink()
        try prepare(url: url, headers: headers, sink: sink)
        try easy.set(CURLOPT_NOBODY, true, url: url)
        return try run(url: url, sink: sink)
    }

    /// POSTs `body` with `Content-Type: contentType` and an empty `Expect:` (no `100-continue` round trip).
    @available(*, noasync, message: "libcurl blocks; call from a dedicated thread")
    public func post(
        _ url: String, body: [UInt8], contentType: String, headers: [String: String] = [:]
    ) throws(HTTPClientError) -> HTTPClientResponse {
        var all = headers
        all["Content-Type"] = contentType
        if !all.keys.contains(where: { $0.lowercased() == "expect" }) { all["Expect"] = "" }
        let sink = TransferSink()
        try prepare(url: url, headers: all, sink: sink)
        try easy.set(CURLOPT_POST, true, url: url)
        try easy.setPostBody(body, url: url)
        return try run(url: url, sink: sink)
    }

    /// Streams the body of a GET into `path` and returns the (2xx) status. The data goes to a temporary file next to
    /// `path`, renamed over `path` only when the transfer completed with a 2xx status; on any failure the temporary
    /// file is removed and `path` is left as it was. A non-2xx status throws `.httpStatus`.
    @discardableResult
    @available(*, noasync, message: "libcurl blocks; call from a dedicated thread")
    public func download(_ url: String, to path: String, headers: [String: String] = [:]) throws(HTTPClientError) -> Int {
        let (fd, temporary) = try createTemporaryFile(near: path, url: url)
        let sink = TransferSink()
        sink.fd = fd
        var keep = false
        defer {
            close(fd)
            if !keep { unlink(temporary) }
        }
        try prepare(url: url, headers: headers, sink: sink)
        try easy.set(CURLOPT_HTTPGET, true, url: url)
        let status: Int
        do {
            status = try withExtendedLifetime(sink) { () throws(HTTPClientError) -> Int in try easy.perform(url: url) }
        } catch {
            if sink.writeErrno != 0 {
                throw HTTPClientError(
                    .fileSystem, "writing \(temporary): \(errnoText(sink.writeErrno))", url: url, status: error.status,
                    curlCode: error.curlCode)
            }
            throw error
        }
        guard (200..<300).contains(status) else {
            throw HTTPClientError(.httpStatus, "HTTP status \(status)", url: url, status: status)
        }
        guard rename(temporary, path) == 0 else {
            throw HTTPClientError(.fileSystem, "renaming \(temporary) to \(path): \(errnoText(errno))", url: url, status: status)
        }
        keep = true
        return status
    }

    // MARK: - Internals

    private func prepare(url: String, headers: [String: String], sink: TransferSink) throws(HTTPClientError) {
        guard !url.utf8.contains(0) else { throw HTTPClientError(.invalidRequest, "URL contains a NUL byte", url: url) }
        try easy.reset(url: url)
        try easy.set(CURLOPT_URL, url, url: url)
        try easy.set(CURLOPT_NOSIGNAL, true, url: url)
        try easy.set(CURLOPT_PROTOCOLS_STR, configuration.protocols, url: url)
        try easy.set(CURLOPT_FOLLOWLOCATION, configuration.followRedirects, url: url)
        if configuration.followRedirects {
            try easy.set(CURLOPT_MAXREDIRS, configuration.maxRedirects, url: url)
            try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https", url: url)
        }
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeoutMilliseconds, url: url)
        try easy.set(CURLOPT_TIMEOUT_MS, configuration.totalTimeoutMilliseconds, url: url)
        try easy.set(CURLOPT_USERAGENT, configuration.userAgent, url: url)
        if let caFile = configuration.caFile { try easy.set(CURLOPT_CAINFO, caFile, url: url) }
        if let certificate = configuration.clientCertificateFile { try easy.set(CURLOPT_SSLCERT, certificate, url: url) }
        if let key = configuration.clientKeyFile { try easy.set(CURLOPT_SSLKEY, key, url: url) }

        for (name, value) in headers {
            guard !name.isEmpty, !name.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 || $0 == 58 }),
                !value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 })
            else { throw HTTPClientError(.invalidRequest, "invalid header field \(name)", url: url) }
            // "Name:" with nothing after it tells libcurl to drop that header (used for Expect); "Name;" would send it empty.
            sink.appendRequestHeader(value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        try easy.set(CURLOPT_HTTPHEADER, list: sink.requestHeaders, url: url)

        let context = Unmanaged.passUnretained(sink).toOpaque()
        try easy.set(CURLOPT_HEADERFUNCTION, callback: headerCallback, url: url)
        try easy.set(CURLOPT_HEADERDATA, pointer: context, url: url)
        try easy.set(CURLOPT_WRITEFUNCTION, callback: writeCallback, url: url)
        try easy.set(CURLOPT_WRITEDATA, pointer: context, url: url)
    }

    @available(*, noasync, message: "libcurl blocks; call from a dedicated thread")
    private func run(url: String, sink: TransferSink) throws(HTTPClientError) -> HTTPClientResponse {
        let status = try withExtendedLifetime(sink) { () throws(HTTPClientError) -> Int in try easy.perform(url: url) }
        return HTTPClientResponse(status: status, headers: sink.headers, body: sink.body)
    }

    private func createTemporaryFile(near path: String, url: String) throws(HTTPClientError) -> (Int32, String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty, !path.utf8.contains(0) else {
            throw HTTPClientError(.invalidRequest, "invalid download path \(path)", url: url)
        }
        var template = Array("\(directory.isEmpty ? "" : directory)/.\(name).part-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw HTTPClientError(.fileSystem, "creating a file in \(directory): \(errnoText(errno))", url: url)
        }
        _ = fchmod(fd, 0o644)
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return (fd, temporary)
    }
}

@available(*, unavailable, message: "an HTTPClient (a libcurl easy handle) is used by one thread at a time")
extension HTTPClient: Sendable {}

/// Where one transfer's callbacks put what they receive. Lives for the duration of the transfer; libcurl gets an
/// unretained pointer to it.
private final class TransferSink {
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    /// When >= 0, the body is written to this descriptor instead of `body`.
    var fd: Int32 = -1
    var writeErrno: Int32 = 0
    private(set) var requestHeaders: UnsafeMutablePointer<curl_slist>?

    func appendRequestHeader(_ line: String) {
        requestHeaders = curl_slist_append(requestHeaders, line)
    }

    deinit { curl_slist_free_all(requestHeaders) }

    /// A new status line starts a new response (a redirect was followed, or `100 Continue`): forget the previous one.
    func beginResponse() {
        headers = [:]
        body = []
        if fd >= 0 {
            _ = ftruncate(fd, 0)
            _ = lseek(fd, 0, SEEK_SET)
        }
    }

    func header(line: UnsafeBufferPointer<UInt8>) {
        var bytes = Substring(decoding: line, as: UTF8.self)
        while let last = bytes.last, last == "\r\n" || last == "\n" || last == "\r" { bytes = bytes.dropLast() }
        if bytes.hasPrefix("HTTP/") {
            beginResponse()
            return
        }
        guard let colon = bytes.firstIndex(of: ":") else { return }
        let name = bytes[..<colon].lowercased()
        let value = bytes[bytes.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
        if let existing = headers[name] {
            headers[name] = existing + ", " + value
        } else {
            headers[name] = String(value)
        }
    }

    /// Returns false when the file write failed (errno kept in `writeErrno`).
    func write(_ data: UnsafeBufferPointer<UInt8>) -> Bool {
        guard fd >= 0 else {
            body.append(contentsOf: data)
            return true
        }
        var offset = 0
        while offset < data.count {
            let n = Glibc.write(fd, data.baseAddress! + offset, data.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                writeErrno = errno
                return false
            }
            offset += n
        }
        return true
    }
}

private let headerCallback: curl_write_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    buffer.withMemoryRebound(to: UInt8.self, capacity: length) { sink.header(line: UnsafeBufferPointer(start: $0, count: length)) }
    return length
}

private let writeCallback: curl_write_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let sink = Unmanaged<TransferSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let ok = buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
        sink.write(UnsafeBufferPointer(start: $0, count: length))
    }
    return ok ? length : 0
}

func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
