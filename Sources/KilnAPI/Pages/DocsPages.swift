internal import KilnFastCGI
internal import KilnWeb

/// `/docs/api/` and `/docs/cts-api/`: the OpenAPI documents the APIs serve, rendered for people. The documentation
/// is rendered once per document; a request only puts it in the frame.
struct DocsPages {
    let context: RequestContext

    struct Body: Sendable {
        var doc: APIDocumentation
        var jsonHref: String
        var otherHref: String?
        var otherName: String
    }

    struct View: Sendable {}

    static func rendered(_ document: [UInt8], json: String, other: String, otherName: String) -> (String, String) {
        let doc: APIDocumentation
        do { doc = try APIDocumentation(document: document) } catch {
            fatalError("the OpenAPI document \(json) does not parse: \(error)")
        }
        let body = Body(doc: doc, jsonHref: json, otherHref: other, otherName: otherName)
        return ("API: " + doc.title, PageRenderer.shared.render("api-docs-body", body))
    }

    static let full = rendered(
        OpenAPIDocument.full, json: "/api/1/openapi.json", other: "/docs/cts-api/",
        otherName: "the compose tracking API alone")
    static let tracking = rendered(
        OpenAPIDocument.tracking, json: "/cts/api/1/openapi.json", other: "/docs/api/", otherName: "both APIs")

    func full() throws -> HTTPResponse {
        _ = try PageQuery(context.request, allowed: [])
        return context.page("api-docs", title: Self.full.0, section: "docs", view: View(), splice: Self.full.1)
    }

    func tracking() throws -> HTTPResponse {
        _ = try PageQuery(context.request, allowed: [])
        return context.page("api-docs", title: Self.tracking.0, section: "docs", view: View(), splice: Self.tracking.1)
    }
}
