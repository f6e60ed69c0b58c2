internal import KilnCore
internal import KilnFastCGI

/// The compose tracking routes under `/cts/api/1/`. Compose ids are strings (productmd ids), tags an id or a name.
enum TrackingRoute: Equatable, Sendable {
    case composes
    case compose(String)
    case composeChanges(String)
    case composeRepo(String)
    case composeRPMs(String)
    case composeDiff(String, String)
    case tags
    case tag(String)
    case tagChanges(String)
    case userinfo
    case about
    case metrics

    static let prefix = "/cts/api/1/"

    /// The route's pattern, for metrics labels.
    var pattern: String {
        switch self {
        case .composes: "/cts/api/1/composes/"
        case .compose: "/cts/api/1/composes/:compose_id"
        case .composeChanges: "/cts/api/1/composes/:compose_id/changes/"
        case .composeRepo: "/cts/api/1/composes/:compose_id/repo/"
        case .composeRPMs: "/cts/api/1/composes/:compose_id/rpms/"
        case .composeDiff: "/cts/api/1/composes/:compose_id/diff/:other_compose_id"
        case .tags: "/cts/api/1/tags/"
        case .tag: "/cts/api/1/tags/:tag"
        case .tagChanges: "/cts/api/1/tags/:tag/changes/"
        case .userinfo: "/cts/api/1/userinfo"
        case .about: "/cts/api/1/about/"
        case .metrics: "/cts/api/1/metrics/"
        }
    }

    var methods: [String] {
        switch self {
        case .composes, .tags: ["GET", "HEAD", "POST"]
        case .compose, .tag: ["GET", "HEAD", "PATCH"]
        case .composeRPMs: ["GET", "HEAD", "POST", "PUT"]
        default: ["GET", "HEAD"]
        }
    }

    /// Nil when the path is no tracking route.
    static func route(path: String) -> TrackingRoute? {
        guard path.hasPrefix(prefix) else { return nil }
        var parts = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // A trailing slash is optional everywhere.
        if parts.count > 1, parts.last == "" { parts.removeLast() }
        func value(_ s: String) -> String? {
            let v = percentDecode(s)
            // No id or tag name holds a control character; a NUL would cut the lookup short.
            return v.isEmpty || RequestInput.hasControlCharacter(v) ? nil : v
        }
        switch parts.count {
        case 1:
            switch parts[0] {
            case "composes": return .composes
            case "tags": return .tags
            case "userinfo": return .userinfo
            case "about": return .about
            case "metrics": return .metrics
            default: return nil
            }
        case 2:
            guard let v = value(parts[1]) else { return nil }
            switch parts[0] {
            case "composes": return .compose(v)
            case "tags": return .tag(v)
            default: return nil
            }
        case 3:
            guard let v = value(parts[1]) else { return nil }
            switch (parts[0], parts[2]) {
            case ("composes", "changes"): return .composeChanges(v)
            case ("composes", "repo"): return .composeRepo(v)
            case ("composes", "rpms"): return .composeRPMs(v)
            case ("tags", "changes"): return .tagChanges(v)
            default: return nil
            }
        case 4:
            guard parts[0] == "composes", parts[2] == "diff", let a = value(parts[1]), let b = value(parts[3]) else { return nil }
            return .composeDiff(a, b)
        default: return nil
        }
    }
}
