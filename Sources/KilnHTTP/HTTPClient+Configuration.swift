extension HTTPClient {
    /// How an `HTTPClient` connects. Every field has a default; TLS options take file paths (PEM).
    public struct Configuration: Sendable {
        /// Sent as `User-Agent`; `HTTPClient.Configuration.userAgent(version:)` builds `kiln/<version>`.
        public var userAgent: String
        /// Limit for establishing the connection (TCP + TLS), in milliseconds; 0 means libcurl's default (300 s).
        public var connectTimeoutMilliseconds: Int
        /// Limit for the whole transfer, in milliseconds; 0 means none. Large downloads need a generous value.
        public var totalTimeoutMilliseconds: Int
        /// Follow 3xx `Location` answers (http and https targets only), at most `maxRedirects` times; to another
        /// origin (scheme, host, port) only with `crossOriginRedirects`, else `.redirectRefused` is thrown.
        public var followRedirects: Bool
        public var maxRedirects: Int
        public var crossOriginRedirects: Bool
        /// When set, a redirect is followed only to a location it accepts (on top of the origin rule): remote
        /// sources pass their allow-list, so a redirect within an allowed host cannot leave an allowed prefix.
        public var redirectAllowed: (@Sendable (String) -> Bool)?
        /// Abort (`.transport`, CURLE_OPERATION_TIMEDOUT) when less than a byte a second arrives for this long, in
        /// milliseconds (whole seconds count); 0 means never.
        public var stallTimeoutMilliseconds: Int
        /// The most body bytes any response may have (`.tooLarge` beyond); nil means no limit.
        public var maxBodyBytes: Int64?
        /// CURLOPT_CAINFO: a PEM bundle of CAs to trust instead of the system store.
        public var caFile: String?
        /// CURLOPT_SSLCERT: a PEM client certificate (Koji SSL login, Pulp).
        public var clientCertificateFile: String?
        /// CURLOPT_SSLKEY: the client certificate's private key, when not inside `clientCertificateFile`.
        public var clientKeyFile: String?
        /// Protocols a request may use (CURLOPT_PROTOCOLS_STR).
        public var protocols: String

        public init(
            userAgent: String = Configuration.userAgent(version: "0.1.0"),
            connectTimeoutMilliseconds: Int = 30_000,
            totalTimeoutMilliseconds: Int = 0,
            followRedirects: Bool = true,
            maxRedirects: Int = 10,
            crossOriginRedirects: Bool = false,
            stallTimeoutMilliseconds: Int = 0,
            maxBodyBytes: Int64? = nil,
            caFile: String? = nil,
            clientCertificateFile: String? = nil,
            clientKeyFile: String? = nil,
            protocols: String = "http,https",
            redirectAllowed: (@Sendable (String) -> Bool)? = nil
        ) {
            self.userAgent = userAgent
            self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
            self.totalTimeoutMilliseconds = totalTimeoutMilliseconds
            self.followRedirects = followRedirects
            self.maxRedirects = maxRedirects
            self.crossOriginRedirects = crossOriginRedirects
            self.stallTimeoutMilliseconds = stallTimeoutMilliseconds
            self.maxBodyBytes = maxBodyBytes
            self.caFile = caFile
            self.clientCertificateFile = clientCertificateFile
            self.clientKeyFile = clientKeyFile
            self.protocols = protocols
            self.redirectAllowed = redirectAllowed
        }

        /// `kiln/<version>`.
        public static func userAgent(version: String) -> String { "kiln/\(version)" }
    }
}
