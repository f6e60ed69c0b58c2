/// The routes of every API, matched in order. HEAD is answered by a path's GET route; `Allow` lists the methods the
/// table has for a path.
struct RouteTable: Sendable {
    enum Match {
        case route(Route, RouteParameters)
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// The order methods are listed in `Allow`.
    static let methodOrder = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    let routes: [Route]

    init(_ routes: [Route]) {
        self.routes = routes
    }

    /// The labels request metrics use: one per pattern, plus `unmatched`.
    var metricsNames: Set<String> { Set(routes.map(\.metricsName)).union(["unmatched"]) }

    func match(method: String, path: String) -> Match {
        let parts = Self.parts(path)
        var methods: Set<String> = []
        for route in routes {
            guard let parameters = route.pattern.match(parts) else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .route(route, parameters)
            }
            methods.insert(route.method)
        }
        return methods.isEmpty ? .notFound : .methodNotAllowed(allowed: Self.allowList(methods))
    }

    /// The methods the path answers, for `Allow`; none for a path that is no route.
    func allowedMethods(path: String) -> [String] {
        let parts = Self.parts(path)
        return Self.allowList(Set(routes.filter { $0.pattern.match(parts) != nil }.map(\.method)))
    }

    private static func allowList(_ methods: Set<String>) -> [String] {
        let all = methods.contains("GET") ? methods.union(["HEAD"]) : methods
        return methodOrder.filter(all.contains)
    }

    private static func parts(_ path: String) -> [Substring] {
        guard path.hasPrefix("/") else { return [] }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    }
}
