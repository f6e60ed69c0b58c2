/// Every failure of `HTTPClient`. `description` names the code and, for `.httpStatus`, the status; it leaves out the
/// URL (it may carry credentials) and libcurl's text. `debugDescription` has everything.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Value: Sendable, Hashable {
            case transport, httpStatus, fileSystem, invalidRequest, tooLarge, redirectRefused, redirectNotAllowed
        }
        let value: Value
        /// libcurl could not complete the transfer: DNS, connect, TLS, timeout, too many redirects, a broken
        /// connection. `message` is libcurl's error text and `curlCode` its CURLcode.
        public static let transport = Code(value: .transport)
        /// The server answered with a status the call does not accept (`download` accepts only 2xx); see `status`.
        public static let httpStatus = Code(value: .httpStatus)
        /// A local file could not be created, written or renamed (`download`); `message` holds the errno text.
        public static let fileSystem = Code(value: .fileSystem)
        /// The request cannot be sent as given: a NUL in the URL, CR or LF in a header, libcurl refused an option.
        public static let invalidRequest = Code(value: .invalidRequest)
        /// The body was larger than the request's limit; the transfer was aborted (nothing kept).
        public static let tooLarge = Code(value: .tooLarge)
        /// A 3xx answer pointed to another origin (or not to http/https) and was not followed; `status` is the 3xx.
        public static let redirectRefused = Code(value: .redirectRefused)
        /// A 3xx answer within the origin pointed to a location the client's `redirectAllowed` filter refused (a
        /// remote source's allow-list) and was not followed; `status` is the 3xx.
        public static let redirectNotAllowed = Code(value: .redirectNotAllowed)
        public var description: String { "\(value)" }
    }

    public var code: Code
    /// libcurl's error buffer (or `curl_easy_strerror`), the errno text, or what was wrong with the request.
    public var message: String
    /// The final HTTP status, set for `.httpStatus` (and for other codes when a response had already arrived).
    public var status: Int?
    /// The CURLcode behind `.transport` (and `.fileSystem` when libcurl reported the failed write).
    public var curlCode: Int?
    public var url: String
    public var file: String
    public var line: Int

    init(
        _ code: Code, _ message: String, url: String, status: Int? = nil, curlCode: Int? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.url = url
        self.status = status
        self.curlCode = curlCode
        self.file = file
        self.line = line
    }

    /// `.httpStatus` with this status.
    public func isHTTPStatus(_ status: Int) -> Bool { code == .httpStatus && self.status == status }

    public var description: String {
        if code == .httpStatus, let status { return "HTTPClientError(httpStatus: \(status))" }
        return "HTTPClientError(\(code))"
    }

    public var debugDescription: String {
        "HTTPClientError(code: \(code), status: \(status.map(String.init) ?? "-"), curlCode: "
            + "\(curlCode.map(String.init) ?? "-"), message: \(message), url: \(url), at: \(file):\(line))"
    }
}
