internal import KilnFastCGI

extension RouteTable {
    /// Every HTML page and page action, by family. Pages answer GET (HEAD too); actions are POSTed forms.
    static let pages: [Route] =
        signIn + dashboardPages + docsPages + reportPages + trackedPages + composePages

    static func page(
        _ method: String, _ pattern: String, _ handler: @escaping @Sendable (RequestContext) throws -> HTTPResponse
    ) -> Route {
        Route(method, RoutePattern(pattern), acceptsForm: method == "POST", handler: handler)
    }

    static let signIn: [Route] = [
        page("GET", "/signin") { try SignInPages(context: $0).signInForm() },
        page("POST", "/signin/dev") { try SignInPages(context: $0).devSignIn() },
        page("GET", "/login") { try SignInPages(context: $0).login() },
        page("POST", "/signout") { try SignInPages(context: $0).signOut() },
    ]

    static let dashboardPages: [Route] = [
        page("GET", "/") { try DashboardPage(context: $0).render() }
    ]

    static let docsPages: [Route] = [
        page("GET", "/docs/api/") { try DocsPages(context: $0).full() },
        page("GET", "/docs/cts-api/") { try DocsPages(context: $0).tracking() },
    ]

    static let reportPages: [Route] = [
        page("GET", "/reports/") { try ReportPages(context: $0).index() },
        page("GET", "/reports/{name}") { c in try ReportPages(context: c).report(try c.parameters.string("name")) },
    ]
}

extension RouteTable {
    static let trackedPages: [Route] = [
        page("GET", "/cts/composes/") { try TrackedComposePages(context: $0).list() },
        page("GET", "/cts/composes/{compose_id}") { c in
            try TrackedComposePages(context: c).detail(try c.parameters.string("compose_id"))
        },
        page("POST", "/cts/composes/{compose_id}/tags") { c in
            try TrackedComposePages(context: c).changeTag(try c.parameters.string("compose_id"))
        },
        page("GET", "/cts/tags/") { try TagPages(context: $0).list() },
        page("GET", "/cts/tags/{tag}") { c in try TagPages(context: c).detail(try c.parameters.string("tag")) },
        page("GET", "/diff/") { try DiffPage(context: $0).render() },
    ]
}

extension RouteTable {
    static let composePages: [Route] = [
        page("GET", "/odcs/composes/") { try ComposeListPage(context: $0).render() },
        page("GET", "/odcs/composes/{id:int}") { c in
            try ComposeDetailPage(context: c).render(id: try c.parameters.int("id"))
        },
        page("POST", "/odcs/composes/{id:int}/renew") { c in
            try ComposeActions(context: c).renew(id: try c.parameters.int("id"))
        },
        page("POST", "/odcs/composes/{id:int}/cancel") { c in
            try ComposeActions(context: c).cancel(id: try c.parameters.int("id"))
        },
    ]
}
