import KilnCore
import Testing

@testable import KilnWeb

@Suite struct TrackedPagesTests {
    func compose(
        _ id: String, tags: [String] = [], parents: [String] = [], respunBy: [String] = [], url: String? = nil
    ) -> TrackedCompose {
        let info = ComposeInfo(
            id: id, date: "20260517", type: .nightly, respin: 2,
            release: .init(
                name: "Fedora", short: "Fedora", version: "41", type: "ga", isLayered: false, isInternal: false))
        return TrackedCompose(
            key: 1, composeID: id, info: info, builder: "pungi", composeURL: url, tags: tags, parents: parents,
            respunBy: respunBy)
    }

    func layout() -> PageLayout {
        PageLayout(
            title: "t", section: "tracked", path: "/cts/composes/",
            identity: Identity(username: "alice", groups: [], method: .session), csrf: "tok")
    }

    @Test func flattenNamesEveryScalarByItsPath() {
        let json: JSON = [
            "a": ["b": 1, "c": "x", "d": .null], "e": ["p", "q"], "f": [], "g": .object(JSONObject()), "h": true,
        ]
        let fields = FieldView.flatten(json).map { "\($0.name)=\($0.value)" }
        #expect(fields == ["a.b=1", "a.c=x", "a.d=null", "e=p, q", "f=[]", "g={}", "h=true"])
    }

    @Test func theDiffFormTakesODCSNumbersOrComposeIDs() throws {
        #expect(try DiffTarget.parse(" 42 ", field: "from") == .odcs(42))
        #expect(try DiffTarget.parse("Fedora-41-20260517.n.2", field: "to") == .tracked("Fedora-41-20260517.n.2"))
        for bad in ["", "0", "1234567890123456789", String(repeating: "x", count: 256), "a\u{7}b"] {
            #expect(throws: ComposeError.self, "\(bad)") { try DiffTarget.parse(bad, field: "from") }
        }
        do {
            _ = try DiffTarget.parse("", field: "to")
        } catch {
            #expect(error.message == "\"to\" is required: an ODCS compose id or a compose id.")
        }
        #expect(DiffTarget.odcs(7).href == "/odcs/composes/7")
        #expect(DiffTarget.tracked("A B").href == "/cts/composes/A%20B")
    }

    func rpm(_ name: String, _ version: String, arch: String = "x86_64") -> RPMNEVRA {
        RPMNEVRA(name: name, epoch: 0, version: version, release: "1", arch: arch)
    }

    @Test func aComparisonCountsEachGroupAndTheTotals() {
        var server = ComposeDiff.Tree(variant: "Server", arch: "x86_64")
        server.added = [rpm("new", "1")]
        server.removed = [rpm("gone", "1"), rpm("old", "2")]
        server.upgraded = [.init(from: rpm("bash", "5.1"), to: rpm("bash", "5.2"))]
        var everything = ComposeDiff.Tree(variant: "Everything", arch: "aarch64")
        everything.downgraded = [
            .init(from: rpm("vim", "9.1", arch: "aarch64"), to: rpm("vim", "9.0", arch: "aarch64"))
        ]
        let diff = ComposeDiff(from: "A-1", to: "B-1", trees: [everything, server], unchanged: 12)
        let c = DiffView.comparison(from: .odcs(3), to: .tracked("B-1"), diff: diff)
        #expect((c.added, c.removed, c.upgraded, c.downgraded, c.unchanged, c.changed) == (1, 2, 1, 1, 12, 5))
        #expect(c.groups.map { "\($0.variant)/\($0.arch):\($0.total)" } == ["Everything/aarch64:1", "Server/x86_64:4"])
        #expect(c.groups[1].removed == ["gone-0:1-1.x86_64", "old-0:2-1.x86_64"])
        #expect(c.groups[1].upgraded == [.init(name: "bash", from: "bash-0:5.1-1.x86_64", to: "bash-0:5.2-1.x86_64")])
        #expect(c.groups[0].hasDowngraded && !c.groups[0].hasAdded && !c.groups[0].truncated)
        #expect(c.apiHref == "/cts/api/1/composes/A-1/diff/B-1")
        #expect(c.reverseHref == "/diff/?from=B-1&to=3")
        #expect(c.fromLink == LinkView(text: "ODCS compose 3", href: "/odcs/composes/3"))
    }

    @Test func aLongGroupIsCutAndSaysHowManyAreLeftOut() {
        var tree = ComposeDiff.Tree(variant: "V", arch: "x86_64")
        tree.added = (0..<(DiffView.entriesShown + 7)).map { rpm("p\($0)", "1") }
        let c = DiffView.comparison(
            from: .tracked("a"), to: .tracked("b"), diff: ComposeDiff(from: "a", to: "b", trees: [tree], unchanged: 0))
        #expect(c.groups[0].added.count == DiffView.entriesShown)
        #expect(c.groups[0].addedCount == DiffView.entriesShown + 7)
        #expect(c.groups[0].notShown == 7 && c.groups[0].truncated)
    }

    @Test func theDiffPageListsEveryGroupWithItsCounts() {
        var tree = ComposeDiff.Tree(variant: "Server", arch: "x86_64")
        tree.added = [rpm("<new>", "1")]
        tree.upgraded = [.init(from: rpm("bash", "5.1"), to: rpm("bash", "5.2"))]
        let c = DiffView.comparison(
            from: .tracked("a"), to: .tracked("b"), diff: ComposeDiff(from: "a", to: "b", trees: [tree], unchanged: 3))
        let html = PageRenderer.shared.render(
            "diff", PageModel(layout: layout(), view: DiffView(fromValue: "a", toValue: "b", comparison: c)))
        #expect(html.contains(#"<section class="card diff-group" data-variant="Server" data-arch="x86_64">"#))
        #expect(html.contains("<li>&lt;new&gt;-0:1-1.x86_64</li>"))
        #expect(html.contains("<tr><td>bash</td><td>bash-0:5.1-1.x86_64</td><td>bash-0:5.2-1.x86_64</td></tr>"))
        #expect(html.contains(#"<td class="num added-count">1</td>"#))
        #expect(html.contains(#"<td class="num unchanged-count">3</td>"#))
        #expect(!html.contains("hold the same RPMs"))
        #expect(!html.contains(#"<h3 class="removed-pkg">"#))
        let form = PageRenderer.shared.render(
            "diff",
            PageModel(layout: layout(), view: DiffView(fromValue: "", toValue: "", problems: ["X has no RPM list."])))
        #expect(form.contains("<p>X has no RPM list.</p>"))
        #expect(!form.contains("diff-summary"))
    }

    @Test func theDetailShowsFieldsRelationsTreesAndTagFormsForTheSignedIn() {
        let c = compose(
            "F-41-20260517.n.2", tags: ["nightly"], parents: ["P-1"], respunBy: ["F-41-20260517.n.3"],
            url: "https://composes.example/F")
        let rpms = [
            ComposeContents.Entry(
                variant: "Server", arch: "x86_64", rpm: rpm("bash", "5.2"), sourceRPM: rpm("bash", "5.2", arch: "src"),
                category: .binary, sigkey: "abc")
        ]
        let view = TrackedComposeDetailView(
            compose: c, allTags: ["milestone", "nightly"], changes: [],
            counts: [.init(variant: "Server", arch: "x86_64", binary: 1, debug: 0, source: 1)], rpms: rpms,
            variants: ["Server"], previous: "F-41-20260516.n.0", odcsComposeID: 9,
            notice: TrackedComposeDetailView.notice(done: "tag", tag: "nightly"))
        #expect(view.fields.contains(FieldView(name: "compose_info.payload.compose.id", value: "F-41-20260517.n.2")))
        #expect(view.fields.contains(FieldView(name: "compose_url", value: "https://composes.example/F")))
        #expect(!view.fields.contains { $0.name == "tags" || $0.name == "parents" })
        #expect(view.otherTags == ["milestone"])
        #expect(view.trees[0].total == 2 && view.trees[0].notShown == 1 && view.trees[0].truncated)
        #expect(view.previousDiff?.href == "/diff/?from=F-41-20260516.n.0&to=F-41-20260517.n.2")
        let html = PageRenderer.shared.render("tracked-compose", PageModel(layout: layout(), view: view))
        #expect(html.contains(#"<p class="notice" role="status">Tagged nightly.</p>"#))
        #expect(html.contains(#"<a href="/cts/composes/P-1" class="parent">P-1</a>"#))
        #expect(html.contains(#"<a href="/cts/composes/F-41-20260517.n.3" class="respin">"#))
        #expect(
            html.contains(#"<form method="post" action="/cts/composes/F-41-20260517.n.2/tags" class="inline untag">"#))
        #expect(html.contains(#"<input type="hidden" name="csrf" value="tok">"#))
        #expect(html.contains("<option>milestone</option>"))
        #expect(html.contains("<td>bash-0:5.2-1.x86_64</td><td>binary</td><td>abc</td>"))
        #expect(html.contains(#"href="/cts/api/1/composes/F-41-20260517.n.2/repo/?variant=Server""#))
        #expect(html.contains(#"<a href="/odcs/composes/9">#9</a>"#))
        // Nobody signed in: no forms, a sign-in link.
        let anonymous = PageLayout(title: "t", section: "tracked", path: "/x", identity: nil, csrf: nil)
        let page = PageRenderer.shared.render("tracked-compose", PageModel(layout: anonymous, view: view))
        #expect(!page.contains("<form method=\"post\""))
        #expect(page.contains("to tag or untag."))
    }

    @Test func theListKeepsItsQueryInPagerAndAPILinks() {
        let items = (0..<2).map { compose("C-\($0)") }
        var query = TrackedComposeQuery()
        query.page = 2
        query.perPage = 2
        let arguments = [("tag", "nightly"), ("tag", "-x"), ("page", "2"), ("per_page", "2")].map {
            (name: $0.0, value: $0.1)
        }
        let view = TrackedListView(
            arguments: arguments, query: query, page: Page(items: items, page: 2, perPage: 2, total: 5))
        #expect(view.apiHref == "/cts/api/1/composes/?tag=nightly&tag=-x&page=2&per_page=2")
        #expect(view.pager.prevHref == "/cts/composes/?page=1&per_page=2&tag=nightly&tag=-x")
        #expect(view.pager.nextHref == "/cts/composes/?page=3&per_page=2&tag=nightly&tag=-x")
        #expect(view.pager.pages == 3)
        #expect(view.filters.first { $0.name == "tag" }?.value == "nightly")
        #expect(view.rows[0].release == "Fedora-41" && view.rows[0].composeHref == "/cts/composes/C-0")
    }
}
