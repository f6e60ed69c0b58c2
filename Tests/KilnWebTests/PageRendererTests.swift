import KilnCore
import Testing

@testable import KilnWeb

@Suite struct PageRendererTests {
    struct Message: Sendable {
        var status: Int
        var message: String
    }

    func layout(user: String? = nil) -> PageLayout {
        PageLayout(
            title: "T <1>", section: "composes", path: "/odcs/composes/?state=done",
            identity: user.map { Identity(username: $0, groups: ["releng", "qa"], method: .session) }, csrf: "tok")
    }

    @Test func everyTemplateParsesAndHasAName() {
        let names = PageTemplates.all.map(\.name)
        #expect(Set(names).count == names.count, "template names are unique")
        for name in names { #expect(PageRenderer.shared.has(name), "\(name)") }
    }

    @Test func textIsEscapedEverywhere() {
        let html = PageRenderer.shared.render(
            "error", PageModel(layout: layout(), view: Message(status: 404, message: "<script>alert('x')</script>")))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("<title>T &lt;1&gt; · Kiln</title>"))
        #expect(html.contains(#"data-status="404""#))
    }

    @Test func navigationMarksTheCurrentSectionAndSignInReturnsHere() {
        let html = PageRenderer.shared.render(
            "error", PageModel(layout: layout(), view: Message(status: 1, message: "")))
        #expect(html.contains(#"<a href="/odcs/composes/" aria-current="page">Composes</a>"#))
        #expect(!html.contains(#"<a href="/" aria-current="page">"#))
        #expect(html.contains(#"href="/signin?return_to=%2Fodcs%2Fcomposes%2F%3Fstate%3Ddone""#))
        #expect(!html.contains("Sign out"))
    }

    @Test func aSignedInPageShowsTheUserAndCarriesTheCSRFToken() {
        let html = PageRenderer.shared.render(
            "error", PageModel(layout: layout(user: "alice"), view: Message(status: 1, message: "")))
        #expect(html.contains(#"<span class="user" title="releng, qa">alice</span>"#))
        #expect(html.contains(#"<input type="hidden" name="csrf" value="tok">"#))
        #expect(!html.contains(">Sign in<"))
    }
}

@Suite struct APIDocumentationTests {
    static let document = #"""
        {"openapi": "3.0.3", "info": {"title": "T", "version": "9", "description": "Intro `x<y>`.\n\n* one\n* **two**"},
         "tags": [{"name": "things", "description": "Things."}],
         "paths": {"/things/{id}": {"parameters": [{"$ref": "#/components/parameters/Id"}],
           "get": {"tags": ["things"], "operationId": "getThing", "summary": "Get one",
             "parameters": [{"name": "full", "in": "query", "schema": {"type": "boolean"}}],
             "responses": {"200": {"description": "The thing.",
                 "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
               "404": {"$ref": "#/components/responses/NotFound"}}}}},
         "components": {"parameters": {"Id": {"name": "id", "in": "path", "required": true,
             "schema": {"type": "integer", "minimum": 1, "maximum": 7}}},
           "responses": {"NotFound": {"description": "No such <thing>."}},
           "schemas": {"Thing": {"type": "object", "required": ["id"], "properties": {
             "id": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}},
             "state": {"enum": ["a", "b"]}, "parent": {"anyOf": [{"$ref": "#/components/schemas/Thing"},
               {"type": "null"}]}}}}}}
        """#

    @Test func operationsParametersResponsesAndSchemasAreRead() throws {
        let doc = try APIDocumentation(document: Array(Self.document.utf8))
        #expect(doc.title == "T")
        #expect(
            doc.introduction
                == "<p>Intro <code>x&lt;y&gt;</code>.</p>\n<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>\n")
        #expect(doc.operationCount == 1)
        let op = try #require(doc.groups.first?.operations.first)
        #expect(op.anchor == "op-getThing")
        #expect(op.method == "GET")
        #expect(op.parameters.map(\.name) == ["id", "full"])
        #expect(op.parameters[0].required && op.parameters[0].location == "path")
        #expect(op.parameters[0].type == "integer (1–7)")
        #expect(op.responses.map(\.status) == ["200", "404"])
        #expect(op.responses[0].type == "Thing")
        #expect(op.responses[1].description == "No such &lt;thing&gt;.")
        let thing = try #require(doc.schemas.first)
        #expect(thing.properties.map(\.type) == ["integer", "array of string", #"one of "a", "b""#, "Thing | null"])
        #expect(thing.properties.map(\.required) == [true, false, false, false])
    }

    @Test func theServedDocumentsRenderWithEveryOperation() throws {
        let html = PageRenderer.shared.render(
            "api-docs-body",
            ["doc": try APIDocumentation(document: Array(Self.document.utf8)), "jsonHref": "/x.json"] as [String: Any])
        #expect(html.contains(#"<article class="card operation" id="op-getThing">"#))
        #expect(html.contains("<td>No such &lt;thing&gt;.</td>"))
        #expect(html.contains(#"<a href="/x.json">"#))
    }
}
