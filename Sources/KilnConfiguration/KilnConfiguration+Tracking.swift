public import KilnCore

/// The keys of the CTS jobs `kiln track-locations` and `kiln promote`; see docs/configuration.md.
public struct TrackingConfiguration: Sendable {
    /// Directories scanned for compose toplevels besides `target_dir` (which is always scanned).
    public var composeRoots: [ComposeRoot] = []
    public var promotionRules: [PromotionRule] = []

    public init() {}

    static let keys = ["compose_roots", "promotion_rules"]

    init(_ o: JSONObject) throws {
        typealias LoadError = KilnConfiguration.LoadError
        for (key, item) in try KilnConfiguration.listItems(o, "compose_roots", of: "paths or objects") ?? [] {
            let root = try Self.root(item, key: key)
            try KilnConfiguration.requireUnique(root.path, among: composeRoots.map(\.path), key: key, field: "path")
            composeRoots.append(root)
        }
        for (key, object) in try KilnConfiguration.objectItems(o, "promotion_rules") ?? [] {
            let rule: PromotionRule
            do {
                rule = try PromotionRule(config: object)
            } catch {
                throw LoadError(key: key, reason: error.reason)
            }
            try KilnConfiguration.requireUnique(rule.name, among: promotionRules.map(\.name), key: key)
            promotionRules.append(rule)
        }
    }

    /// `"/path"` or `{"path": "/path", "url": "https://...", "depth": 2, "mount_point": true}`.
    static func root(_ item: JSON, key: String) throws -> ComposeRoot {
        typealias LoadError = KilnConfiguration.LoadError
        if let path = item.stringValue {
            guard path.hasPrefix("/") else { throw LoadError(key: key, reason: "must be an absolute path") }
            return ComposeRoot(path: path)
        }
        guard let o = item.objectValue else { throw LoadError(key: key, reason: "must be a path or an object") }
        for k in o.keys where !["path", "url", "depth", "mount_point"].contains(k) {
            throw LoadError(key: key, reason: "unknown key \(k)")
        }
        guard let path = o["path"]?.stringValue, path.hasPrefix("/") else {
            throw LoadError(key: key, reason: "needs an absolute \"path\"")
        }
        var url: String?
        switch o["url"] {
        case nil, .null?: break
        case .string(let s)? where s.hasPrefix("http://") || s.hasPrefix("https://"): url = s
        default: throw LoadError(key: key, reason: "\"url\" must be an http(s) URL prefix")
        }
        var depth = 1
        if let v = o["depth"] {
            guard let d = v.integerValue, (1...Int64(ComposeRoot.maximumDepth)).contains(d) else {
                throw LoadError(key: key, reason: "\"depth\" must be 1 to \(ComposeRoot.maximumDepth)")
            }
            depth = Int(d)
        }
        var mountPoint = false
        switch o["mount_point"] {
        case nil, .null?: break
        case .bool(let b)?: mountPoint = b
        default: throw LoadError(key: key, reason: "\"mount_point\" must be true or false")
        }
        return ComposeRoot(path: path, url: url, depth: depth, mountPoint: mountPoint)
    }
}

extension KilnConfiguration {
    /// `target_dir` (at `target_dir_url`) and the `compose_roots`.
    public var composeLocations: ComposeLocations {
        ComposeLocations(
            targetDir: service.targetDir, targetDirURL: service.targetDirURL, configured: tracking.composeRoots)
    }
}
