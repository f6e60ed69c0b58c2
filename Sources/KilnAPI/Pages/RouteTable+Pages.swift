internal import KilnFastCGI

extension RouteTable {
    /// Every HTML page and page action, by family. Pages answer GET (HEAD too); actions are POSTed forms.
    static let pages: [Route] = signIn + dashboardPages + docsPages + reportPages

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
