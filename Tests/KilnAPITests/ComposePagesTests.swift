import Foundation
import InMemoryLogging
import KilnConfiguration
import KilnCore
import KilnFastCGI
import KilnStore
import KilnTesting
import Logging
import Testing

@testable import KilnAPI

/// The compose pages and their actions, driven in-process against a real, migrated scratch database: the list reads
/// the API's query, the detail shows the API's fields and links, and renew / cancel run the API's rules for the
/// signed-in person.
@Suite final class ComposePagesTests {
    let database: TestDatabase
    let session: DatabaseSession
    let responder: KilnResponder
    let inspect: PGConnection
    let logs = InMemoryLogHandler()
    let key = [UInt8](repeating: 3, count: 32)

    init() throws {
        database = try TestDatabase()
        session = DatabaseSession(conninfo: database.conninfo)
        var configuration = KilnConfiguration()
        configuration.databaseURL = database.conninfo
        configuration.service.targetDir = "/nonexistent/composes"
        configuration.service.targetDirURL = "https://kiln.example/composes"
        configuration.service.admins = .init(groups: ["kiln-admins"])
        configuration.service.allowedClients = .init(groups: ["releng": ["source_types": ["repo"]]])
        configuration.fastCGI.maxBodyBytes = 1 << 20
        responder = KilnResponder(configuration: configuration, pageKey: key)
        inspect = try database.connect()
    }

    deinit {
        inspect.close()
        database.drop()
    }

    struct Answer {
        var status: Int
        var html: String
        var response: HTTPResponse
    }

    func send(
        _ method: String, _ path: String, query: String = "", form: String = "", as person: PageSession? = nil
    ) -> Answer {
        var headers = ["host": "kiln.example"]
        if let person { headers["cookie"] = "kiln_session=" + person.cookieValue(key: key) }
        if !form.isEmpty {
            headers["content-type"] = "application/x-www-form-urlencoded"
            headers["origin"] = "http://kiln.example"
        }
        let request = HTTPRequest(
            method: method, path: path, query: query, headers: headers, variables: [:], body: Array(form.utf8),
            bodyTooLarge: false)
        let logs = self.logs
        let response = responder.respond(to: request, session: session, logger: Logger(label: "test") { _ in logs })
        return Answer(status: response.status, html: response.bodyText, response: response)
    }

    func person(_ user: String, groups: [String] = ["releng"]) -> PageSession {
        PageSession.start(user: user, groups: groups, now: Int64(Date().timeIntervalSince1970), lifetime: 600)
    }

    func csrf(_ person: PageSession) -> String { person.csrfToken(key: key) }

    @discardableResult
    func insert(_ owner: String, _ source: String, state: ComposeState = .wait, reusing: Int64? = nil) throws -> Int64 {
        let store = ComposeStore(inspect)
        let stored = try store.insert(.submitted(by: owner, .repo, source: source), secondsToLive: 3600)
        if state != .wait { _ = try store.transition(id: stored.id, to: state, reason: "made \(state.name)") }
        if let reusing { _ = try inspect.execute("UPDATE composes SET reused_id = \(reusing) WHERE id = \(stored.id)") }
        return stored.id
    }

    func progress(_ id: Int64, _ phase: String, _ done: Int, _ total: Int) throws {
        _ = try inspect.execute(
            "UPDATE composes SET progress_phase = '\(phase)', progress_done = \(done), progress_total = \(total) "
                + "WHERE id = \(id)")
    }

    func expiry(_ id: Int64) throws -> Int64 {
        try inspect.execute("SELECT extract(epoch FROM time_to_expire)::bigint AS t FROM composes WHERE id = \(id)")
            .value("t", as: Int64.self)
    }

    @Test func theListReadsTheAPIsQueryAndLinksToItsJSON() throws {
        let done = try insert("alice", "/repos/a", state: .done)
        let waiting = try insert("bob", "/repos/b")
        let failed = try insert("alice", "/repos/a", state: .failed)
        let page = send("GET", "/odcs/composes/", query: "state=done&per_page=5&label=")
        #expect(page.status == 200)
        #expect(page.html.contains(#"<a href="/odcs/composes/\#(done)">\#(done)</a>"#))
        #expect(!page.html.contains(#"<a href="/odcs/composes/\#(waiting)">"#))
        #expect(!page.html.contains(#"<a href="/odcs/composes/\#(failed)">"#))
        #expect(page.html.contains(#"href="/api/1/composes/?state=done&amp;per_page=5&amp;label=""#))
        #expect(page.html.contains(#"<option value="done" selected>done</option>"#))
        #expect(page.html.contains(#"<option value="5" selected>5</option>"#))
        // A filter the form has no field for is kept in the form and in the pager's links.
        #expect(page.html.contains(#"<input type="hidden" name="label" value="">"#))
        #expect(page.html.contains(#"href="/odcs/composes/?page=1&amp;per_page=5&amp;state=done&amp;label=""#))
        let byOwner = send("GET", "/odcs/composes/", query: "owner=alice&order_by=id")
        let first = try #require(byOwner.html.range(of: "/odcs/composes/\(done)\""))
        let second = try #require(byOwner.html.range(of: "/odcs/composes/\(failed)\""))
        #expect(first.lowerBound < second.lowerBound, "ascending by id")
        #expect(!byOwner.html.contains("/odcs/composes/\(waiting)\""))
    }

    @Test func theListRefusesWhatTheAPIRefusesAsAPage() {
        for query in ["x=1", "order_by=nothing", "page=99999999999"] {
            let page = send("GET", "/odcs/composes/", query: query)
            #expect(page.status == 400, "\(query)")
            #expect(page.response.header("Content-Type") == "text/html; charset=utf-8")
        }
    }

    @Test func thePagerKeepsTheFiltersAndStopsAtTheEnds() throws {
        for _ in 0..<5 { try insert("carol", "/repos/c") }
        let page = send("GET", "/odcs/composes/", query: "owner=carol&per_page=2&page=2")
        #expect(page.html.contains("5 composes, page 2 of 3"))
        #expect(page.html.contains(#"href="/odcs/composes/?page=1&amp;per_page=2&amp;owner=carol" rel="prev""#))
        #expect(page.html.contains(#"href="/odcs/composes/?page=3&amp;per_page=2&amp;owner=carol" rel="next""#))
        let last = send("GET", "/odcs/composes/", query: "owner=carol&per_page=2&page=3")
        #expect(!last.html.contains(#"rel="next""#))
        #expect(last.html.contains(#"<span class="muted">Next</span>"#))
    }

    @Test func theDetailShowsEveryFieldAndTheRelatedComposes() throws {
        let older = try insert("alice", "/repos/a", state: .done)
        _ = try insert("alice", "/repos/other", state: .done)
        let id = try insert("alice", "/repos/a", state: .done)
        let reuser = try insert("bob", "/repos/a", state: .done, reusing: id)
        let page = send("GET", "/odcs/composes/\(id)")
        #expect(page.status == 200)
        #expect(page.html.contains("<title>Compose \(id) · Kiln</title>"))
        for field in ["arches", "owner", "source", "state_name", "time_to_expire", "result_repofile", "flags"] {
            #expect(page.html.contains("<dt>\(field)</dt>"), "\(field)")
        }
        #expect(page.html.contains(#"href="/diff/?from=\#(older)&amp;to=\#(id)""#))
        #expect(page.html.contains(#"<a href="/odcs/composes/\#(reuser)">\#(reuser)</a>"#))
        #expect(
            page.html.contains(#"href="https://kiln.example/composes/odcs-\#(id)/compose/Temporary/odcs-\#(id).repo""#))
        #expect(page.html.contains("/compose/metadata/composeinfo.json"))
        #expect(!page.html.contains("id=\"monitor\""), "no build monitor once done")
        #expect(!page.html.contains("renew-form"), "no actions for nobody")
        let reusing = send("GET", "/odcs/composes/\(reuser)")
        #expect(reusing.html.contains(#"<a href="/odcs/composes/\#(id)">Compose \#(id)</a>"#))
        #expect(send("GET", "/odcs/composes/999999").status == 404)
        #expect(send("GET", "/odcs/composes/\(id)", query: "notice=<b>").status == 400)
    }

    @Test func aWaitingComposeHasTheBuildMonitor() throws {
        let id = try insert("alice", "/repos/a")
        try progress(id, "resolving dependencies", 1, 4)
        let page = send("GET", "/odcs/composes/\(id)")
        #expect(page.html.contains(#"data-api="/api/1/composes/\#(id)""#))
        #expect(page.html.contains(#"data-log="/composes/odcs-\#(id)/pungi-stderr.log""#))
        #expect(page.html.contains("resolving dependencies"))
        #expect(page.html.contains(#"max="4" value="1""#))
        #expect(page.html.contains(#"<script src="/static/kiln-monitor.js" defer></script>"#))
    }

    @Test func renewIsTheAPIsRenewalForTheSignedInPerson() throws {
        let alice = person("alice")
        let id = try insert("alice", "/repos/a", state: .done)
        let page = send("GET", "/odcs/composes/\(id)", as: alice)
        #expect(page.html.contains(#"action="/odcs/composes/\#(id)/renew""#))
        let before = try expiry(id)
        let renewed = send(
            "POST", "/odcs/composes/\(id)/renew", form: "csrf=\(csrf(alice))&seconds_to_live=7200", as: alice)
        #expect(renewed.status == 303)
        #expect(renewed.response.header("Location") == "/odcs/composes/\(id)?notice=extended")
        #expect(try expiry(id) > before)
        #expect(send("GET", "/odcs/composes/\(id)", query: "notice=extended").html.contains("Renewed: the compose"))

        // A failed compose is renewed as a copy: the page of the copy follows.
        let failed = try insert("alice", "/repos/a", state: .failed)
        let copied = send("POST", "/odcs/composes/\(failed)/renew", form: "csrf=\(csrf(alice))", as: alice)
        #expect(copied.status == 303)
        let location = try #require(copied.response.header("Location"))
        let newID = try inspect.execute("SELECT max(id) AS id FROM composes").value("id", as: Int64.self)
        #expect(location == "/odcs/composes/\(newID)?notice=renewed")
        #expect(newID > failed)
    }

    @Test func renewIsRefusedAsTheAPIRefusesIt() throws {
        let id = try insert("alice", "/repos/a", state: .done)
        let before = try expiry(id)
        // Not in allowed_clients: the API's 403 and message, as a page; the page offers no form to begin with.
        let mallory = person("mallory", groups: [])
        #expect(!send("GET", "/odcs/composes/\(id)", as: mallory).html.contains("renew-form"))
        let refused = send("POST", "/odcs/composes/\(id)/renew", form: "csrf=\(csrf(mallory))", as: mallory)
        #expect(refused.status == 403)
        #expect(refused.html.contains("User mallory is not in role allowed_clients."))
        #expect(refused.response.header("Content-Type") == "text/html; charset=utf-8")
        // Without the session's token, with a bad number, or for a compose not yet done.
        let alice = person("alice")
        #expect(send("POST", "/odcs/composes/\(id)/renew", form: "csrf=x", as: alice).status == 403)
        #expect(send("POST", "/odcs/composes/\(id)/renew", form: "seconds_to_live=1", as: nil).status == 401)
        for bad in ["-5", "1e3", String(repeating: "9", count: 19), "x"] {
            let r = send(
                "POST", "/odcs/composes/\(id)/renew", form: "csrf=\(csrf(alice))&seconds_to_live=\(bad)", as: alice)
            #expect(r.status == 400, "\(bad)")
        }
        #expect(send("POST", "/odcs/composes/\(id)/renew", form: "csrf=\(csrf(alice))&x=1", as: alice).status == 400)
        let waiting = try insert("alice", "/repos/a")
        #expect(send("POST", "/odcs/composes/\(waiting)/renew", form: "csrf=\(csrf(alice))", as: alice).status == 404)
        #expect(try expiry(id) == before)
    }

    @Test func cancelIsTheAPIsDeleteForTheSignedInPerson() throws {
        let id = try insert("alice", "/repos/a")
        let bob = person("bob")
        #expect(!send("GET", "/odcs/composes/\(id)", as: bob).html.contains("cancel-form"))
        let refused = send("POST", "/odcs/composes/\(id)/cancel", form: "csrf=\(csrf(bob))", as: bob)
        #expect(refused.status == 403)
        #expect(refused.html.contains("can not be canceled, it&#39;s owned by someone else"))
        let alice = person("alice")
        #expect(send("GET", "/odcs/composes/\(id)", as: alice).html.contains(#"id="cancel-form""#))
        let canceled = send("POST", "/odcs/composes/\(id)/cancel", form: "csrf=\(csrf(alice))", as: alice)
        #expect(canceled.status == 303)
        #expect(canceled.response.header("Location") == "/odcs/composes/\(id)?notice=canceled")
        let state = try inspect.execute("SELECT state, state_reason FROM composes WHERE id = \(id)")
        #expect(try state.value("state", as: Int.self) == ComposeState.failed.rawValue)
        #expect(try state.value("state_reason", as: String.self) == "Canceled by alice")
    }

    @Test func theDashboardShowsTheQueueAndTheFailures() throws {
        let waiting = try insert("alice", "/repos/queued")
        let generating = try insert("alice", "/repos/busy", state: .generating)
        try progress(generating, "downloading packages", 3, 9)
        let failed = try insert("bob", "/repos/broken", state: .failed)
        let page = send("GET", "/")
        #expect(page.status == 200)
        #expect(page.html.contains("1 generating, 1 waiting."))
        #expect(page.html.contains(#"<a href="/odcs/composes/\#(waiting)">\#(waiting)</a>"#))
        #expect(page.html.contains("downloading packages 3 of 9"))
        #expect(page.html.contains(#"max="9" value="3""#))
        #expect(page.html.contains(#"<a href="/odcs/composes/\#(failed)">\#(failed)</a>"#))
        #expect(page.html.contains("made failed"))
        #expect(page.html.contains("The compose directory cannot be read from here."))
        #expect(page.html.contains("No compose is tracked yet."))
    }
}
