internal import KilnConfiguration
internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import Logging

/// What a handler needs: the request, the caller, the worker's database session, the logger and the configuration.
struct RequestContext {
    let request: HTTPRequest
    let session: DatabaseSession
    let logger: Logger
    let configuration: KilnConfiguration
    let metrics: RequestMetrics
    let cache: ResponseCache
    /// The matched route's path parameters.
    var parameters = RouteParameters()
    /// The key page sessions and their CSRF tokens are signed with (`page_session_key_file`); nil: no sign-in.
    var pageKey: [UInt8]? = nil
    /// The caller of a page action: the signed-in person, instead of the identity httpd passed.
    var callerOverride: Caller? = nil

    var service: ServiceConfiguration { configuration.service }

    var caller: Caller { callerOverride ?? Caller.from(variables: request.variables, configuration: service) }

    /// Runs `body` in one transaction on the worker's connection.
    func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try session.withConnection(logger: logger) { c in try c.withTransaction(body) }
    }

    func read<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try session.withConnection(logger: logger, body)
    }

    /// `scheme://host` as the client sees it (X-Forwarded-Proto / X-Scheme, X-Forwarded-Host, Host).
    var externalOrigin: String {
        let h = request.headers
        let v = request.variables
        let scheme =
            h["x-forwarded-proto"].flatMap(firstListItem) ?? h["x-scheme"]
            ?? v["REQUEST_SCHEME"] ?? (v["HTTPS"]?.lowercased() == "on" ? "https" : "http")
        var host = h["x-forwarded-host"].flatMap(firstListItem) ?? h["host"]
        if host == nil {
            let name = v["SERVER_NAME"] ?? "localhost"
            let port = v["SERVER_PORT"] ?? "80"
            host = (scheme == "http" && port == "80") || (scheme == "https" && port == "443") ? name : "\(name):\(port)"
        }
        return "\(scheme)://\(host!)"
    }

    /// The links of a list's `meta`: the URL the client used (its `X-Script-Name` prefix put back) and its query
    /// arguments.
    func pageLinks(repeats: PageLinks.Repeats) -> PageLinks {
        let script = request.headers["x-script-name"] ?? ""
        let path = script.isEmpty || request.path.hasPrefix(script) ? request.path : script + request.path
        return PageLinks(baseURL: externalOrigin + path, query: request.queryArguments, repeats: repeats)
    }

    private func firstListItem(_ value: String) -> String? {
        let first = value.split(separator: ",").first.map { String($0).trimmingWhitespace() } ?? ""
        return first.isEmpty ? nil : first
    }

    func json(_ value: JSON, status: Int = 200, cors: Bool = false) -> HTTPResponse {
        json(bytes: value.serializedBytes(), status: status, cors: cors)
    }

    func json(_ compose: Compose, full: Bool = false, cors: Bool = false) -> HTTPResponse {
        var w = JSONWriter(capacity: 2048)
        compose.write(into: &w, configuration: service, full: full)
        return json(bytes: w.bytes, cors: cors)
    }

    func json(bytes: [UInt8], status: Int = 200, cors: Bool = false) -> HTTPResponse {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if cors { headers.append(("Access-Control-Allow-Origin", "*")) }
        return HTTPResponse(status: status, headers: headers, body: bytes)
    }
}
