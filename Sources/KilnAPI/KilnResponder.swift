public import KilnConfiguration
internal import KilnCore
public import KilnFastCGI
public import KilnStore
public import Logging

#if canImport(Glibc)
    internal import Glibc
#endif

/// The whole HTTP surface: routes a request, runs its handler on the worker's database session, renders errors.
public struct KilnResponder: Sendable {
    public let configuration: KilnConfiguration
    public let metrics: RequestMetrics
    let cache = ResponseCache()
    /// The page sessions' signing key (`page_session_key_file`); nil when sign-in to the pages is not configured.
    let pageKey: [UInt8]?

    public init(configuration: KilnConfiguration, metrics: RequestMetrics = RequestMetrics(), pageKey: [UInt8]? = nil) {
        self.configuration = configuration
        self.metrics = metrics
        self.pageKey = pageKey
    }

    /// Answers one request. Never throws: every failure becomes a JSON error, logged with the request id.
    @available(*, noasync, message: "libpq blocks")
    public func respond(to request: HTTPRequest, session: DatabaseSession, logger: Logger) -> HTTPResponse {
        let started = monotonicSeconds()
        let routed = routingPath(request)
        let match = RouteTable.kiln.match(method: request.method, path: routed)
        var routeName = "unmatched"
        var response: HTTPResponse
        do {
            if !Self.knownMethods.contains(request.method) {
                throw APIError(
                    status: 405, message: "The method is not allowed for the requested URL.",
                    headers: [("Allow", RouteTable.kiln.allowedMethods(path: routed).joined(separator: ", "))])
            }
            switch match {
            case .notFound:
                throw APIError(status: 404, message: "The requested URL was not found on the server.")
            case .methodNotAllowed(let allowed):
                throw APIError(
                    status: 405, message: "The method is not allowed for the requested URL.",
                    headers: [("Allow", allowed.joined(separator: ", "))])
            case .route(let route, let parameters):
                routeName = route.metricsName
                try checkInput(request, query: route.checksQuery, form: route.acceptsForm)
                let context = RequestContext(
                    request: request, session: session, logger: logger, configuration: configuration, metrics: metrics,
                    cache: cache, parameters: parameters, pageKey: pageKey)
                response = try route.handler(context)
            }
        } catch let error as APIError {
            if error.status >= 500 {
                logger.error(
                    "request failed", metadata: ["kiln.status": "\(error.status)", "kiln.error": "\(error.message)"])
            } else {
                logger.info(
                    "request refused", metadata: ["kiln.status": "\(error.status)", "kiln.error": "\(error.message)"])
            }
            response = error.response
        } catch let error as ComposeError {
            let apiError = APIError(error)
            logger.info(
                "request refused", metadata: ["kiln.status": "\(apiError.status)", "kiln.error": "\(apiError.message)"])
            response = apiError.response
        } catch let error as KilnStoreError where error.isConnectionFailure {
            logger.error("database unavailable", metadata: ["kiln.error": "\(error.debugDescription)"])
            response =
                APIError(
                    status: 503, message: "The database is unavailable; try again shortly.",
                    headers: [("Retry-After", "5")]
                ).response
        } catch {
            logger.error("unexpected error", metadata: ["kiln.error": "\(String(reflecting: error))"])
            response =
                APIError(status: 500, message: "Internal server error (request id \(request.requestID)).").response
        }
        if response.status >= 400, Self.isPagePath(routed), response.header("content-type") == "application/json" {
            response = errorPage(response, request: request)
        }
        let seconds = monotonicSeconds() - started
        // Labels come from fixed sets only: a client's made-up method or path never becomes a new series.
        let methodLabel = Self.knownMethods.contains(request.method) ? request.method : "other"
        metrics.record(method: methodLabel, route: routeName, status: response.status, seconds: seconds)
        logger.debug(
            "request answered",
            metadata: [
                "kiln.method": "\(request.method)", "kiln.path": "\(request.path)", "kiln.status": "\(response.status)",
            ])
        return response
    }

    /// The HTTP methods Kiln knows; any other answers 405 and is counted as `other`.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// What every routed request must pass before its handler runs: a body within the limit, a POST, PUT or PATCH
    /// body declared as JSON (a form or text body is never parsed, so a cross-site form cannot post), and query
    /// arguments without control characters.
    func checkInput(_ request: HTTPRequest, query: Bool = true, form: Bool = false) throws {
        if request.bodyTooLarge {
            let limit = configuration.fastCGI.maxBodyBytes
            throw APIError(status: 413, message: "The request body is larger than \(limit) bytes.")
        }
        let hasBody = request.body.contains { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        let writes = ["POST", "PUT", "PATCH"].contains(request.method)
        if hasBody, writes, form, Self.isFormMediaType(request.headers["content-type"]) {
            // A page action's form: its handler checks the session's CSRF token before anything else.
        } else if hasBody, writes, !Self.isJSONMediaType(request.headers["content-type"]) {
            throw APIError(
                status: 415,
                message: "The request body must be JSON, sent with Content-Type: application/json, not "
                    + (request.headers["content-type"].map { "\"\($0)\"" } ?? "without a Content-Type") + ".")
        }
        for (name, value) in query ? request.queryArguments : []
        where RequestInput.hasControlCharacter(name) || RequestInput.hasControlCharacter(value) {
            let shown = percentEncode(name)
            throw APIError(
                status: 400, message: "Query argument \"\(shown)\" contains a control character, which is not allowed.")
        }
    }

    /// `application/json` or `application/<something>+json`, any case, parameters allowed.
    static func isJSONMediaType(_ value: String?) -> Bool {
        guard let value else { return false }
        let type =
            value.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingWhitespace().lowercased() }
            ?? ""
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    /// `application/x-www-form-urlencoded`, any case, parameters allowed.
    static func isFormMediaType(_ value: String?) -> Bool {
        guard let value else { return false }
        let type =
            value.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingWhitespace().lowercased() }
            ?? ""
        return type == "application/x-www-form-urlencoded"
    }

    /// The path with the `X-Script-Name` prefix removed, as ODCS's ReverseProxy middleware does.
    func routingPath(_ request: HTTPRequest) -> String {
        if let script = request.headers["x-script-name"], !script.isEmpty, request.path.hasPrefix(script) {
            let rest = String(request.path.dropFirst(script.count))
            return rest.hasPrefix("/") ? rest : "/" + rest
        }
        return request.path
    }

    /// A trivial answer that touches nothing: the benchmark's ceiling for this stack.
    public static func ceilingResponse() -> HTTPResponse {
        HTTPResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array("{\"ok\": true}".utf8))
    }
}

func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
