internal import KilnFastCGI

/// One route: a method, a path pattern, the label its requests are counted under, and the handler.
struct Route: Sendable {
    typealias Handler = @Sendable (RequestContext) throws -> HTTPResponse

    let method: String
    let pattern: RoutePattern
    let metricsName: String
    /// Whether query arguments are refused when they hold control characters before the handler runs. A handler that
    /// looks an argument up among known values (a `.repo` variant) answers 404 for any other text instead.
    let checksQuery: Bool
    /// Whether the body may be an HTML form (`application/x-www-form-urlencoded`): the page actions, which check the
    /// session's CSRF token. Every other route takes JSON only.
    let acceptsForm: Bool
    let handler: Handler

    init(
        _ method: String, _ pattern: RoutePattern, checksQuery: Bool = true, acceptsForm: Bool = false,
        handler: @escaping Handler
    ) {
        self.method = method
        self.pattern = pattern
        self.metricsName = pattern.metricsName
        self.checksQuery = checksQuery
        self.acceptsForm = acceptsForm
        self.handler = handler
    }
}
