public import KilnFastCGI

/// Maps a method and path to a route. Paths are matched segment by segment; `:id` segments must be integers.
struct Router: Sendable {
    enum Route: String, Sendable {
        case composes = "/api/1/composes/"
        case compose = "/api/1/composes/:id"
        case about = "/api/1/about/"
        case metrics = "/api/1/metrics/"
        case openapi = "/api/1/openapi.json"
    }

    enum Match: Equatable {
        case route(Route, id: Int64?)
        /// Compose tracking, under `/cts/api/1/`.
        case tracking(TrackingRoute)
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    static func methods(for route: Route) -> [String] {
        switch route {
        case .composes: ["GET", "HEAD", "POST"]
        case .compose: ["GET", "HEAD", "PATCH", "DELETE"]
        case .about, .metrics, .openapi: ["GET", "HEAD"]
        }
    }

    /// The methods the matched path answers (for `Allow`); none for a path that is no route.
    static func allowedMethods(_ match: Match) -> [String] {
        switch match {
        case .route(let route, _): methods(for: route)
        case .tracking(let route): route.methods
        case .methodNotAllowed(let allowed): allowed
        case .notFound: []
        }
    }

    static func match(method: String, path: String) -> Match {
        if let tracking = TrackingRoute.route(path: path) {
            return tracking.methods.contains(method) ? .tracking(tracking) : .methodNotAllowed(allowed: tracking.methods)
        }
        var route: Route?
        var id: Int64?
        switch path {
        case "/api/1/composes/", "/api/1/composes": route = .composes
        case "/api/1/about/", "/api/1/about": route = .about
        case "/api/1/metrics/", "/api/1/metrics": route = .metrics
        case "/api/1/openapi.json": route = .openapi
        default:
            let prefix = "/api/1/composes/"
            if path.hasPrefix(prefix) {
                let rest = path.dropFirst(prefix.count)
                if !rest.isEmpty, rest.count <= 18, rest.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int64(rest) {
                    route = .compose
                    id = n
                }
            }
        }
        guard let route else { return .notFound }
        let allowed = methods(for: route)
        guard allowed.contains(method) else { return .methodNotAllowed(allowed: allowed) }
        return .route(route, id: id)
    }
}
