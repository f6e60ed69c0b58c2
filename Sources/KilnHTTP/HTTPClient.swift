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

    /// A GET; `maxBytes` bounds the body (and `configuration.maxBodyBytes` too), beyond it `.tooLarge` is thrown.
    @available(*, noasync, message: "libcurl blocks; call from a dedicated thread")
    public func get(
        _ url: String, headers: [String: String] = [:], maxBytes: Int64? = nil
    ) throws(HTTPClientError) -> HTTPClientResponse {
        let sink = TransferSink()
        sink.limit = limit(maxBytes)
        let status = try transfer(url, method: .get, headers: headers, sink: sink)
        return HTTPClientResponse(status: status, headers: sink.headers, body: sink.body)
    }

    /// A HEAD request: status and headers, no body. Handy to probe whether a file exists (404) before downloading.
    @available(*, noasync, message: "libcurl blocks; call from a dedicated thread")
    public func head(_ url: String, headers: [String: String] = [:]) throws(HTTPClientError) -> HTTPClientResponse {
        let sink = TransferSink()
        let status = try transfer(url, method: .head, headers: headers, sink: sink)
        return HTTPClientResponse(status: status, headers: sink.headers, body: sink.body)
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
        sink.limit = limit(nil)
        let status = try transfer(url, method: .post(body), headers: all, sink: sink)
        return HTTPClientResponse(status: status, headers: sink.headers, body: sink.body)
    }

    /// Streams the body of a GET into `path` and returns the (2xx) status. The data goes to a temporary file next to
    /// `path`, renamed over `path` only when the transfer completed with a 2xx status; on any failure the temporary
    /// file is removed and `path` is left as it was. A non-2xx status throws `.httpStatus`; a body over `maxBytes`
    /// (or `configuration.maxBodyBytes`) throws `.tooLarge`.
    @discardableResult
    @available(*, noasync, message: "libcurl blocks; call from a dedicated thread")
    public func download(
        _ url: String, to path: String, headers: [String: String] = [:], maxBytes: Int64? = nil
    ) throws(HTTPClientError) -> Int {
        let (fd, temporary) = try createTemporaryFile(near: path, url: url)
        let sink = TransferSink()
        sink.fd = fd
        sink.limit = limit(maxBytes)
        var keep = false
        defer {
            close(fd)
            if !keep { unlink(temporary) }
        }
        let status: Int
        do {
            status = try transfer(url, method: .get, headers: headers, sink: sink)
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
            throw HTTPClientError(
                .fileSystem, "renaming \(temporary) to \(path): \(errnoText(errno))", url: url, status: status)
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
        try easy.set(CURLOPT_FOLLOWLOCATION, false, url: url)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeoutMilliseconds, url: url)
        try easy.set(CURLOPT_TIMEOUT_MS, configuration.totalTimeoutMilliseconds, url: url)
        if configuration.stallTimeoutMilliseconds > 0 {
            // Less than one byte a second for that long: the server stalls.
            try easy.set(CURLOPT_LOW_SPEED_LIMIT, 1, url: url)
            try easy.set(CURLOPT_LOW_SPEED_TIME, max(1, configuration.stallTimeoutMilliseconds / 1000), url: url)
        }
        if let limit = sink.limit {
            try easy.setOffset(CURLOPT_MAXFILESIZE_LARGE, limit, url: url)
        }
        try easy.set(CURLOPT_USERAGENT, configuration.userAgent, url: url)
        if let caFile = configuration.caFile { try easy.set(CURLOPT_CAINFO, caFile, url: url) }
        if let certificate = configuration.clientCertificateFile {
            try easy.set(CURLOPT_SSLCERT, certificate, url: url)
        }
        if let key = configuration.clientKeyFile { try easy.set(CURLOPT_SSLKEY, key, url: url) }

        sink.beginTransfer()
        var requestHeaders: [String] = []
        for (name, value) in headers {
            guard !name.isEmpty, !name.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 || $0 == 58 }),
                !value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 })
            else { throw HTTPClientError(.invalidRequest, "invalid header field \(name)", url: url) }
            // "Name:" with nothing after it tells libcurl to drop that
            // header (used for Expect); "Name;" would send it empty.
            requestHeaders.append(value.isEmpty ? "\(name):" : "\(name): \(value)")
        }
        for line in requestHeaders { sink.appendRequestHeader(line) }
        try easy.set(CURLOPT_HTTPHEADER, list: sink.requestHeaders, url: url)

        let context = Unmanaged.passUnretained(sink).toOpaque()
        try easy.set(CURLOPT_HEADERFUNCTION, callback: headerCallback, url: url)
        try easy.set(CURLOPT_HEADERDATA, pointer: context, url: url)
        try easy.set(CURLOPT_WRITEFUNCTION, callback: writeCallback, url: url)
        try easy.set(CURLOPT_WRITEDATA, pointer: context, url: url)
    }

    private enum Method {
        case get, head
        case post([UInt8])
    }

    private func limit(_ maxBytes: Int64?) -> Int64? {
        switch (maxBytes, configuration.maxBodyBytes) {
        case (let a?, let b?): min(a, b)
        case (let a, let b): a ?? b
        }
    }

    /// One request and the redirects it is allowed to follow. libcurl follows none itself: each `Location` is
    /// checked here (http or https, the same origin unless `crossOriginRedirects`), so a server cannot send Kiln
    /// elsewhere. Errors carry the URL asked for; the URL that answered is in their message.
    @available(*, noasync, message: "libcurl blocks; call from a dedicated thread")
    private func transfer(
        _ url: String, method: Method, headers: [String: String], sink: TransferSink
    ) throws(HTTPClientError) -> Int {
        var current = url
        var method = method
        var hops = 0
        while true {
            try prepare(url: current, headers: headers, sink: sink)
            switch method {
            case .get: try easy.set(CURLOPT_HTTPGET, true, url: url)
            case .head: try easy.set(CURLOPT_NOBODY, true, url: url)
            case .post(let body):
                try easy.set(CURLOPT_POST, true, url: url)
                try easy.setPostBody(body, url: url)
            }
            let status: Int
            do {
                status = try withExtendedLifetime(sink) { () throws(HTTPClientError) -> Int in
                    try easy.perform(url: current)
                }
            } catch {
                var failure = error
                failure.url = url
                if sink.tooLarge || error.curlCode == 63 { // CURLE_FILESIZE_EXCEEDED: Content-Length over the limit
                    failure.code = .tooLarge
                    failure.message = "body larger than \(sink.limit ?? 0) bytes (from \(current))"
                } else if current != url {
                    failure.message += " (after a redirect to \(current))"
                }
                throw failure
            }
            guard configuration.followRedirects, [301, 302, 303, 307, 308].contains(status) else { return status }
            guard let target = easy.redirectURL(), target.hasPrefix("http://") || target.hasPrefix("https://") else {
                throw HTTPClientError(
                    .redirectRefused, "redirect from \(current) to a non-http(s) location", url: url, status: status)
            }
            guard configuration.crossOriginRedirects || Self.origin(of: target) == Self.origin(of: current) else {
                throw HTTPClientError(
                    .redirectRefused, "redirect from \(current) to \(target) (another origin) not followed", url: url,
                    status: status)
            }
            if let allowed = configuration.redirectAllowed, !allowed(target) {
                throw HTTPClientError(
                    .redirectNotAllowed, "redirect from \(current) to \(target) (not an allowed source) not followed",
                    url: url, status: status)
            }
            hops += 1
            guard hops <= configuration.maxRedirects else {
                throw HTTPClientError(
                    .transport, "more than \(configuration.maxRedirects) redirects", url: url, status: status)
            }
            if case .post = method, status != 307, status != 308 { method = .get }
            current = target
        }
    }

    /// `scheme://host:port` of an absolute http(s) URL, lowercased, the default port filled in; user info dropped.
    static func origin(of url: String) -> String {
        guard let separator = url.firstRange(of: "://") else { return url }
        let scheme = url[..<separator.lowerBound].lowercased()
        var authority = Substring(url[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" })
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = authority.lowercased()
        let bracketEnd = host.lastIndex(of: "]") ?? host.startIndex
        if host[bracketEnd...].firstIndex(of: ":") == nil { host += scheme == "https" ? ":443" : ":80" }
        return "\(scheme)://\(host)"
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
    /// The most body bytes one response may have; more aborts the transfer with `tooLarge` set.
    var limit: Int64?
    private(set) var received: Int64 = 0
    private(set) var tooLarge = false
    private(set) var requestHeaders: UnsafeMutablePointer<curl_slist>?

    func appendRequestHeader(_ line: String) {
        requestHeaders = curl_slist_append(requestHeaders, line)
    }

    /// Before each request of a transfer (a redirect starts another): the header list is built again.
    func beginTransfer() {
        curl_slist_free_all(requestHeaders)
        requestHeaders = nil
        tooLarge = false
    }

    deinit { curl_slist_free_all(requestHeaders) }

    /// A new status line starts a new response (a redirect was followed, or `100 Continue`): forget the previous one.
    func beginResponse() {
        headers = [:]
        body = []
        received = 0
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
        received += Int64(data.count)
        if let limit, received > limit {
            tooLarge = true
            return false
        }
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
    buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
        sink.header(line: UnsafeBufferPointer(start: $0, count: length))
    }
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
