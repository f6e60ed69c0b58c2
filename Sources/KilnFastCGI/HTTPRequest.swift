/// A request as the web server handed it over: transport-neutral, so handlers and tests never see FastCGI.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path part of the request URI, still percent-encoded.
    public var path: String
    /// The raw query string, without `?`.
    public var query: String
    /// Request headers by lower-case name (`x-forwarded-host`).
    public var headers: [String: String]
    /// The server's own variables (REMOTE_USER, OIDC_CLAIM_*, SSL_CLIENT_*, REQUEST_SCHEME, SERVER_NAME, ...).
    public var variables: [String: String]
    public var body: [UInt8]
    /// Set when the declared or received body was over the configured limit; `body` is then empty.
    public var bodyTooLarge: Bool
    public var requestID: String

    public init(
        method: String, path: String, query: String = "", headers: [String: String] = [:],
        variables: [String: String] = [:],
        body: [UInt8] = [], bodyTooLarge: Bool = false, requestID: String = "test"
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.variables = variables
        self.body = body
        self.bodyTooLarge = bodyTooLarge
        self.requestID = requestID
    }

    /// Query arguments in request order, percent- and plus-decoded.
    public var queryArguments: [(name: String, value: String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(parts[0])
            let value = parts.count > 1 ? percentDecode(parts[1]) : ""
            return (name, value)
        }
    }
}

/// `%XX` and `+` decoding; invalid sequences are kept as they are.
public func percentDecode<S: StringProtocol>(_ text: S) -> String {
    var out: [UInt8] = []
    let bytes = Array(text.utf8)
    out.reserveCapacity(bytes.count)
    var i = 0
    func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
    while i < bytes.count {
        let b = bytes[i]
        if b == UInt8(ascii: "%"), i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
            out.append(h << 4 | l)
            i += 3
        } else {
            out.append(b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}
