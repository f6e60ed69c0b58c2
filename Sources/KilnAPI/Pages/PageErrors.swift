public import KilnConfiguration
internal import KilnCore
internal import KilnFastCGI
internal import KilnPlatform
internal import KilnWeb

/// Errors on page URLs are pages: the same status and message the API would give, in the site's frame.
extension KilnResponder {
    /// Whether `path` (routed, without the script-name prefix) is a page rather than an API or compose-file URL.
    static func isPagePath(_ path: String) -> Bool {
        !(path.hasPrefix("/api/") || path.hasPrefix("/cts/api/") || path.hasPrefix("/composes/"))
    }

    func errorPage(_ response: HTTPResponse, request: HTTPRequest) -> HTTPResponse {
        let message =
            (try? JSONParser.parse(response.bodyText))?.objectValue?["message"]?.stringValue
            ?? HTTPResponse.reasonPhrase(response.status)
        struct ErrorView: Sendable {
            var status: Int
            var message: String
        }
        let title = "\(response.status) \(HTTPResponse.reasonPhrase(response.status))"
        let path = request.path + (request.query.isEmpty ? "" : "?" + request.query)
        let layout = PageLayout(title: title, section: "", path: path, identity: nil, csrf: nil)
        let html = PageRenderer.shared.render(
            "error", PageModel(layout: layout, view: ErrorView(status: response.status, message: message)))
        let kept = response.headers.filter { $0.name.lowercased() != "content-type" }
        return HTTPResponse(
            status: response.status, headers: RequestContext.pageHeaders + kept, body: Array(html.utf8))
    }

    /// The page-session key from `page_session_key_file` (hex, at least 32 bytes); nil when it is not set.
    public struct PageKeyError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func loadPageKey(configuration: KilnConfiguration) throws -> [UInt8]? {
        guard let path = configuration.pageSessionKeyFile else { return nil }
        guard let text = Platform.readTextFile(path) else {
            throw PageKeyError(description: "page_session_key_file: cannot read \(path)")
        }
        guard let key = Hex.decode(text.trimmingWhitespace()), key.count >= 32 else {
            throw PageKeyError(description: "page_session_key_file: \(path) must hold at least 32 bytes as hex")
        }
        return key
    }
}
