internal import KilnCore

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
