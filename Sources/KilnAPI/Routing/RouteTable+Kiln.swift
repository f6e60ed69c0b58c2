internal import KilnFastCGI

extension RouteTable {
    /// Every route Kiln answers: the ODCS API under `/api/1/` and compose tracking (CTS) under `/cts/api/1/`, where
    /// a trailing slash is optional on every route.
    static let kiln = RouteTable(odcs + tracking + pages)

    static let odcs: [Route] = [
        Route("GET", RoutePattern("/api/1/composes/")) { try ComposeRoutes(context: $0).list() },
        Route("POST", RoutePattern("/api/1/composes/")) { try ComposeRoutes(context: $0).create() },
        Route("GET", RoutePattern("/api/1/composes/{id:int}")) { c in
            try ComposeRoutes(context: c).get(id: try c.parameters.int("id"))
        },
        Route("PATCH", RoutePattern("/api/1/composes/{id:int}")) { c in
            try ComposeRoutes(context: c).renew(id: try c.parameters.int("id"))
        },
        Route("DELETE", RoutePattern("/api/1/composes/{id:int}")) { c in
            try ComposeRoutes(context: c).delete(id: try c.parameters.int("id"))
        },
        Route("GET", RoutePattern("/api/1/about/")) { AboutRoutes(context: $0).about() },
        Route("GET", RoutePattern("/api/1/metrics/")) { try AboutRoutes(context: $0).metrics() },
        Route("GET", RoutePattern("/api/1/openapi.json")) { _ in OpenAPIDocument.response(OpenAPIDocument.full) },
    ] + ReportRoutes.routes

    static let tracking: [Route] = {
        func cts(
            _ method: String, _ pattern: String, checksQuery: Bool = true,
            _ handler: @escaping @Sendable (TrackingRoutes, RouteParameters) throws -> HTTPResponse
        ) -> Route {
            let path = RoutePattern("/cts/api/1/" + pattern, optionalTrailingSlash: true)
            return Route(method, path, checksQuery: checksQuery) {
                try handler(TrackingRoutes(context: $0), $0.parameters)
            }
        }
        return [
            cts("GET", "composes/") { r, _ in try r.listComposes() },
            cts("POST", "composes/") { r, _ in try r.importCompose() },
            cts("GET", "composes/{compose_id}") { r, p in try r.getCompose(try p.string("compose_id")) },
            cts("PATCH", "composes/{compose_id}") { r, p in try r.patchCompose(try p.string("compose_id")) },
            cts("GET", "composes/{compose_id}/changes/") { r, p in try r.composeChanges(try p.string("compose_id")) },
            cts("GET", "composes/{compose_id}/repo/", checksQuery: false) { r, p in
                try r.repo(try p.string("compose_id"))
            },
            cts("GET", "composes/{compose_id}/rpms/") { r, p in try r.composeRPMs(try p.string("compose_id")) },
            cts("POST", "composes/{compose_id}/rpms/") { r, p in
                try r.uploadRPMs(try p.string("compose_id"), replace: false)
            },
            cts("PUT", "composes/{compose_id}/rpms/") { r, p in
                try r.uploadRPMs(try p.string("compose_id"), replace: true)
            },
            cts("GET", "composes/{compose_id}/diff/{other_compose_id}") { r, p in
                try r.composeDiff(try p.string("compose_id"), try p.string("other_compose_id"))
            },
            cts("GET", "tags/") { r, _ in try r.listTags() },
            cts("POST", "tags/") { r, _ in try r.createTag() },
            cts("GET", "tags/{tag}") { r, p in try r.getTag(try p.string("tag")) },
            cts("PATCH", "tags/{tag}") { r, p in try r.patchTag(try p.string("tag")) },
            cts("GET", "tags/{tag}/changes/") { r, p in try r.tagChanges(try p.string("tag")) },
            cts("GET", "userinfo") { r, _ in try r.userinfo() },
            cts("GET", "about/") { r, _ in r.about() },
            cts("GET", "metrics/") { r, _ in try r.metrics() },
            cts("GET", "openapi.json") { _, _ in OpenAPIDocument.response(OpenAPIDocument.tracking) },
        ]
    }()
}
