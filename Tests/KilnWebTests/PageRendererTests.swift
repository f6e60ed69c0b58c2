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
