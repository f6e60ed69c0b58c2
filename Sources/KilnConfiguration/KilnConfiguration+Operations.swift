public import KilnCore

/// The keys the operations jobs read (`kiln expire`, the disk-space guard, `kiln check-token`); see
/// docs/configuration.md.
public struct OperationsConfiguration: Sendable {
    /// Below this much free space `kiln generate` leaves composes waiting, and `kiln expire --reclaim` removes
    /// the oldest done composes until it is back above it.
    public var diskLowWater: DiskSpace.Mark = .percent(10)
    /// Below this, every `kiln expire` run reclaims (to the low-water mark) on its own.
    public var diskCritical: DiskSpace.Mark = .percent(5)
    /// The most bytes Kiln's composes may hold on the compose volume (a volume shared with other data); nil: the
    /// whole volume.
    public var targetDirQuota: Int64?
    /// ODCS's `pungi_timeout`: a compose generating for twice this long is failed as stuck.
    public var pungiTimeout: Int64 = 3600
    /// How long a generator whose database connection broke keeps reconnecting, and how long after a database
    /// restart the recovery leaves composes alone for their generators to come back (1 to 3600).
    public var generatorReconnectSeconds: Int64 = 60
    /// A compose waiting this long is failed as stuck (ODCS: three days).
    public var maxWaitSeconds: Int64 = 3 * 86400
    /// Tokens `kiln check-token` watches.
    public var serviceTokens: [ServiceToken] = []
    /// Warn this many days before a token expires; fail from `tokenFailDays`.
    public var tokenWarnDays: Int64 = 30
    public var tokenFailDays: Int64 = 7

    public init() {}

    public struct ServiceToken: Sendable, Equatable {
        public var name: String
        /// A file holding the token (a JWT, or an opaque token when `introspectionURL` is set).
        public var file: String
        /// RFC 7662 token introspection endpoint, asked for the token's `exp` when set.
        public var introspectionURL: String?
        public var clientID: String?
        /// A file holding the client secret used to authenticate to the introspection endpoint.
        public var clientSecretFile: String?

        public init(
            name: String, file: String, introspectionURL: String? = nil, clientID: String? = nil,
            clientSecretFile: String? = nil
        ) {
            self.name = name
            self.file = file
            self.introspectionURL = introspectionURL
            self.clientID = clientID
            self.clientSecretFile = clientSecretFile
        }
    }

    static let keys = [
        "disk_low_water", "disk_critical", "target_dir_quota", "pungi_timeout", "max_wait_seconds", "service_tokens",
        "token_warn_days", "token_fail_days", "generator_reconnect_seconds",
    ]

    init(_ o: JSONObject) throws {
        typealias LoadError = KilnConfiguration.LoadError
        func mark(_ key: String) throws -> DiskSpace.Mark? {
            guard let v = o[key] else { return nil }
            let text = v.stringValue ?? v.integerValue.map { String($0) }
            guard let text, let m = DiskSpace.Mark(parsing: text) else {
                throw LoadError(key: key, reason: "must be a size such as \"20G\" or a share such as \"10%\"")
            }
            return m
        }
        func seconds(_ key: String) throws -> Int64? {
            guard let v = o[key] else { return nil }
            guard let i = v.integerValue ?? v.stringValue.flatMap({ Int64($0) }), i > 0 else {
                throw LoadError(key: key, reason: "must be a positive integer")
            }
            return i
        }
        if let m = try mark("disk_low_water") { diskLowWater = m }
        if let m = try mark("disk_critical") { diskCritical = m }
        if let m = try mark("target_dir_quota") {
            guard case .bytes(let b) = m, b > 0 else {
                throw LoadError(key: "target_dir_quota", reason: "must be a size such as \"500G\"")
            }
            targetDirQuota = b
        }
        if let s = try seconds("pungi_timeout") { pungiTimeout = s }
        if let s = try seconds("max_wait_seconds") { maxWaitSeconds = s }
        if let s = try seconds("generator_reconnect_seconds") {
            guard s <= 3600 else { throw LoadError(key: "generator_reconnect_seconds", reason: "must be at most 3600") }
            generatorReconnectSeconds = s
        }
        if let s = try seconds("token_warn_days") { tokenWarnDays = s }
        if let s = try seconds("token_fail_days") { tokenFailDays = s }
        for (key, t) in try KilnConfiguration.objectItems(o, "service_tokens") ?? [] {
            for k in t.keys
            where !["name", "file", "introspection_url", "client_id", "client_secret_file"].contains(k) {
                throw LoadError(key: key, reason: "unknown key \(k)")
            }
            guard let name = t["name"]?.stringValue, !name.isEmpty, let file = t["file"]?.stringValue,
                file.hasPrefix("/")
            else {
                throw LoadError(key: key, reason: "needs a \"name\" and an absolute \"file\"")
            }
            try KilnConfiguration.requireUnique(name, among: serviceTokens.map(\.name), key: key)
            let url = t["introspection_url"]?.stringValue
            if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                throw LoadError(key: key, reason: "introspection_url must be an http(s) URL")
            }
            serviceTokens.append(
                ServiceToken(
                    name: name, file: file, introspectionURL: url, clientID: t["client_id"]?.stringValue,
                    clientSecretFile: t["client_secret_file"]?.stringValue))
        }
        guard tokenFailDays < tokenWarnDays else {
            throw LoadError(key: "token_fail_days", reason: "must be less than token_warn_days")
        }
    }
}
