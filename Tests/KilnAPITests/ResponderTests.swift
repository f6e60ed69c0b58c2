import InMemoryLogging
import KilnConfiguration
import KilnCore
import KilnFastCGI
import KilnStore
import KilnTesting
import Logging
import Testing

@testable import KilnAPI

/// The responder driven in-process (no libfcgi) against a real, migrated scratch database.
@Suite final class ResponderTests {
    let database: TestDatabase
    let session: DatabaseSession
    let responder: KilnResponder
    let inspect: PGConnection
    let logs = InMemoryLogHandler()

    init() throws {
        database = try TestDatabase()
        session = DatabaseSession(conninfo: database.conninfo)
        var configuration = KilnConfiguration()
        configuration.databaseURL = database.conninfo
        configuration.service.targetDir = "/srv/composes"
        configuration.service.targetDirURL = "https://kiln.example/composes"
        configuration.service.admins = .init(groups: ["kiln-admins"])
        configuration.service.allowedClients = .init(groups: ["releng": [:]])
        configuration.fastCGI.maxBodyBytes = 1 << 20
        responder = KilnResponder(configuration: configuration)
        inspect = try database.connect()
    }

    deinit {
        inspect.close()
        database.drop()
    }

    static let namespace = "https://pagure.io/odcs/"

    func oidc(
        _ user: String, groups: [String] = ["releng"],
        scopes: [String] = ["new-compose", "renew-compose", "delete-compose"]
    ) -> [String: String] {
        [
            "REMOTE_USER": user,
            "OIDC_CLAIM_scope": (["openid"] + scopes.map { Self.namespace + $0 }).joined(separator: " "),
            "OIDC_CLAIM_groups": groups.joined(separator: ","),
        ]
    }

    func send(
        _ method: String, _ path: String, query: String = "", body: String = "", identity: [String: String] = [:],
        headers: [String: String] = ["host": "kiln.example"], tooLarge: Bool = false
    ) -> (status: Int, json: JSON, response: HTTPResponse) {
        var headers = headers
        // Bodies are JSON, declared as such unless a test says otherwise.
        if !body.isEmpty, headers["content-type"] == nil { headers["content-type"] = "application/json" }
        let request = HTTPRequest(
            method: method, path: path, query: query, headers: headers, variables: identity,
            body: Array(body.utf8), bodyTooLarge: tooLarge)
        let logs = self.logs
        let response = responder.respond(to: request, session: session, logger: Logger(label: "test") { _ in logs })
        let json = (try? JSONParser.parse(response.body)) ?? .null
        return (response.status, json, response)
    }

    func count(_ sql: String = "SELECT count(*) AS count FROM composes") throws -> Int64 {
        try inspect.execute(sql).value("count", as: Int64.self)
    }

    func expectError(
        _ r: (status: Int, json: JSON, response: HTTPResponse), _ status: Int, _ message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(r.status == status, sourceLocation: sourceLocation)
        #expect(r.json["status"] == .int(Int64(status)), sourceLocation: sourceLocation)
        #expect(r.json["error"] == .string(HTTPResponse.reasonPhrase(status)), sourceLocation: sourceLocation)
        #expect(r.json["message"] == .string(message), sourceLocation: sourceLocation)
        #expect(r.response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
    }

    @discardableResult
    func create(_ user: String = "alice", body: String = #"{"source": {"type": "tag", "source": "f40-build"}}"#)
        -> Int64
    {
        let r = send("POST", "/api/1/composes/", body: body, identity: oidc(user))
        #expect(r.status == 200)
        return r.json["id"]?.integerValue ?? -1
    }

    @Test func postCreatesAWaitingComposeOwnedByTheCallerAndAnnouncesIt() throws {
        let r = send(
            "POST", "/api/1/composes/",
            body: #"{"source": {"type": "tag", "source": "f40-build"}, "seconds_to_live": 600}"#,
            identity: oidc("alice"))
        #expect(r.status == 200)
        #expect(r.json["owner"] == "alice")
        #expect(r.json["state_name"] == "wait")
        let id = r.json["id"]!.integerValue!
        #expect(
            r.json["result_repofile"]
                == .string("https://kiln.example/composes/odcs-\(id)/compose/Temporary/odcs-\(id).repo"))
        #expect(r.json["pungi_config_dump"] == nil)
        #expect(try count("SELECT count(*) AS count FROM users WHERE username = 'alice'") == 1)
        let outbox = try inspect.query(
            """
            SELECT topic_suffix, body->>'event' AS event, (body->'compose'->>'id')::bigint AS compose_id FROM outbox
            """)
        #expect(outbox.rowCount == 1)
        #expect(try outbox.value("topic_suffix", as: String.self) == "odcs.compose.state-changed")
        #expect(try outbox.value("event", as: String.self) == "state-changed")
        #expect(try outbox.value("compose_id", as: Int64.self) == id)

        let detail = send("GET", "/api/1/composes/\(id)")
        #expect(detail.status == 200)
        #expect(detail.json["pungi_config_dump"] == .null)
        #expect(detail.json["time_to_expire"] == r.json["time_to_expire"])
        #expect(detail.response.header("Access-Control-Allow-Origin") == "*")
    }

    @Test func madeUpMethodsAre405AndCountedAsOther() throws {
        for i in 0..<30 {
            let r = send("BREW\(i)", i % 2 == 0 ? "/api/1/about/" : "/cts/api/1/composes/X-1-20260101.n.0")
            expectError(r, 405, "The method is not allowed for the requested URL.")
            #expect(r.response.header("Allow") == (i % 2 == 0 ? "GET, HEAD" : "GET, HEAD, PATCH"))
        }
        #expect(send("BREW", "/nowhere").response.header("Allow") == "")
        let metrics = String(decoding: send("GET", "/api/1/metrics/").response.body, as: UTF8.self)
        #expect(!metrics.contains("BREW"))
        #expect(metrics.contains(#"kiln_http_requests_total{method="other",route="unmatched",status="405"} 31"#))
    }

    @Test func writesNeedAJSONContentType() throws {
        let before = try count()
        let tag = #"{"source": {"type": "tag", "source": "f40"}}"#
        for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
            let r = send(
                "POST", "/api/1/composes/", body: tag, identity: oidc("alice"),
                headers: ["host": "kiln.example", "content-type": type])
            #expect(r.status == 415 && r.json["error"] == "Unsupported Media Type", "\(type)")
        }
        #expect(
            send(
                "POST", "/api/1/composes/", body: tag, identity: oidc("alice"),
                headers: ["host": "kiln.example", "content-type": "application/json; charset=utf-8"]
            ).status == 200)
        #expect(try count() == before + 1)
    }

    @Test func refusedWritesChangeNothing() throws {
        let before = try count()
        let tag = #"{"source": {"type": "tag", "source": "f40"}}"#
        expectError(send("POST", "/api/1/composes/", body: tag), 401, Caller.unauthorizedMessage)
        expectError(
            send("POST", "/api/1/composes/", body: tag, identity: oidc("alice", scopes: ["renew-compose"])), 403,
            "Request does not have required scope new-compose")
        expectError(
            send("POST", "/api/1/composes/", body: tag, identity: oidc("eve", groups: [])), 403,
            "User eve is not in role allowed_clients.")
        expectError(
            send("POST", "/api/1/composes/", body: "{", identity: oidc("alice")), 400,
            "Failed to decode JSON object: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)")
        expectError(
            send("POST", "/api/1/composes/", body: "{}", identity: oidc("alice")), 400, "No JSON POST data submitted")
        expectError(
            send(
                "POST", "/api/1/composes/", body: #"{"source": {"type": "tag", "source": "f40"}, "arches": ["s390x"]}"#,
                identity: oidc("alice")), 403, "User alice not allowed to operate with compose with arches=s390x.")
        expectError(
            send("POST", "/api/1/composes/", body: tag, identity: oidc("alice"), tooLarge: true), 413,
            "The request body is larger than 1048576 bytes.")
        #expect(try count() == before)
        #expect(try count("SELECT count(*) AS count FROM outbox") == 0)
        let refusals = logs.entries.filter { $0.message == "request refused" }
        #expect(
            refusals.map { $0.metadata["kiln.status"]?.description } == [
                "401", "403", "403", "400", "400", "403", "413",
            ])
    }

    @Test func unknownRoutesAndMethodsAreJSON() {
        expectError(send("GET", "/api/1/nothing"), 404, "The requested URL was not found on the server.")
        expectError(send("GET", "/api/1/composes/abc"), 404, "The requested URL was not found on the server.")
        expectError(send("GET", "/api/1/composes/1/"), 404, "The requested URL was not found on the server.")
        let r = send("PUT", "/api/1/composes/")
        expectError(r, 405, "The method is not allowed for the requested URL.")
        #expect(r.response.header("Allow") == "GET, HEAD, POST")
        expectError(send("GET", "/api/1/composes/424242"), 404, "No such compose found.")
    }

    @Test func listBuildsAbsoluteLinksFromForwardedHeaders() {
        for _ in 0..<3 { create("linker") }
        let r = send(
            "GET", "/api/1/composes/", query: "owner=linker&per_page=2&page=1",
            headers: ["host": "internal:8080", "x-forwarded-host": "kiln.example.com", "x-forwarded-proto": "https"])
        #expect(r.status == 200)
        #expect(r.json["items"]?.arrayValue?.count == 2)
        let meta = r.json["meta"]
        #expect(meta?["total"] == 3 && meta?["pages"] == 2)
        #expect(meta?["next"] == "https://kiln.example.com/api/1/composes/?page=2&per_page=2&owner=linker")
        #expect(meta?["prev"] == .null)
        let scripted = send(
            "GET", "/odcs/api/1/composes/", query: "owner=linker", headers: ["host": "h", "x-script-name": "/odcs"])
        #expect(scripted.json["meta"]?["first"] == "http://h/odcs/api/1/composes/?page=1&per_page=10&owner=linker")
        expectError(
            send("GET", "/api/1/composes/", query: "order_by=bogus"), 400,
            "An invalid order_by key was suplied, allowed keys are: id, owner, source_type, koji_event, state, "
                + "time_to_expire, time_submitted, time_done, time_removed")
    }

    @Test func cachedListIsNeverStale() throws {
        let id = create("cachy")
        let first = send("GET", "/api/1/composes/", query: "owner=cachy")
        #expect(send("GET", "/api/1/composes/", query: "owner=cachy").response.body == first.response.body)
        // Any change, even one made behind the API's back, shows at once.
        try inspect.execute("UPDATE composes SET state_reason = 'changed' WHERE id = \(id)")
        #expect(
            send("GET", "/api/1/composes/", query: "owner=cachy").json["items"]?.arrayValue?.first?["state_reason"]
                == "changed")
        create("cachy")
        #expect(send("GET", "/api/1/composes/", query: "owner=cachy").json["meta"]?["total"] == 2)
        try inspect.execute("DELETE FROM composes WHERE owner = 'cachy'")
        #expect(send("GET", "/api/1/composes/", query: "owner=cachy").json["meta"]?["total"] == 0)
    }

    /// `Cache-Control: no-cache` reads the database even when a stored page would do: a page planted in the cache
    /// under the current version is served without the header, never with it.
    @Test func noCacheRequestsReadTheDatabase() throws {
        create("fresh")
        let real = send("GET", "/api/1/composes/", query: "owner=fresh")
        #expect(real.json["meta"]?["total"] == 1)
        let (key, version) = try #require(responder.cache.versions.first { $0.key.contains("owner=fresh") })
        responder.cache.store(Array(#"{"planted": true}"#.utf8), for: key, version: version)
        #expect(send("GET", "/api/1/composes/", query: "owner=fresh").json["planted"] == true)
        let fresh = send(
            "GET", "/api/1/composes/", query: "owner=fresh",
            headers: ["host": "kiln.example", "cache-control": "no-cache"])
        #expect(fresh.json["meta"]?["total"] == 1 && fresh.json["planted"] == nil)
        expectError(
            send("GET", "/api/1/composes/", query: "owner=fresh&_r=1"), 400,
            "Unknown query argument \"_r\" (this endpoint takes compose_type, koji_task_id, label, order_by, owner, "
                + "page, per_page, pungi_compose_id, source, source_type, state).")
    }

    @Test func renewExtendsDoneAndCopiesRemoved() throws {
        let id = create()
        expectError(
            send("PATCH", "/api/1/composes/\(id)", identity: oidc("bob")), 404, "No compose with id \(id) found")
        try inspect.execute(
            "UPDATE composes SET state = 2, pungi_compose_id = 'odcs-\(id)-1-20260101.t.0' WHERE id = \(id)")
        let extended = send(
            "PATCH", "/api/1/composes/\(id)", body: #"{"seconds_to_live": 200000}"#, identity: oidc("bob"))
        #expect(extended.status == 200)
        #expect(extended.json["id"] == .int(id))
        #expect(
            extended.json["time_to_expire"]?.stringValue ?? "" > send("GET", "/api/1/composes/\(id)").json[
                "time_submitted"]?.stringValue ?? "~")
        let outboxBefore = try count("SELECT count(*) AS count FROM outbox")
        try inspect.execute("UPDATE composes SET state = 3 WHERE id = \(id)")
        let copy = send("PATCH", "/api/1/composes/\(id)", identity: oidc("bob"))
        #expect(copy.status == 200)
        #expect(copy.json["id"]?.integerValue != id)
        #expect(copy.json["state_name"] == "wait")
        #expect(copy.json["owner"] == "bob")
        #expect(copy.json["respin_of"] == .string("odcs-\(id)-1-20260101.t.0"))
        #expect(try count("SELECT count(*) AS count FROM outbox") == outboxBefore + 1)
        expectError(
            send("PATCH", "/api/1/composes/\(id)", body: #"{"seconds_to_live": "x"}"#, identity: oidc("bob")), 400,
            "seconds_to_live should be an integer")
    }

    @Test func deleteCancelsOrMarksExpired() throws {
        let id = create("alice")
        expectError(
            send("DELETE", "/api/1/composes/\(id)", identity: oidc("mallory")), 403,
            "Compose (id=\(id)) can not be canceled, it's owned by someone else.")
        let cancel = send("DELETE", "/api/1/composes/\(id)", identity: oidc("alice"))
        #expect(cancel.status == 202)
        #expect(cancel.json == ["message": .string("Compose (id=\(id)) has been canceled"), "status": 202])
        let canceled = send("GET", "/api/1/composes/\(id)").json
        #expect(canceled["state_name"] == "failed" && canceled["state_reason"] == "Canceled by alice")

        expectError(
            send("DELETE", "/api/1/composes/\(id)", identity: oidc("alice")), 403, "User alice is not in role admins.")
        let expire = send("DELETE", "/api/1/composes/\(id)", identity: oidc("root", groups: ["kiln-admins"]))
        #expect(expire.status == 202)
        #expect(
            expire.json["message"]
                == .string(
                    "The delete request for compose (id=\(id)) has been accepted and will be "
                        + "processed by backend later."
                ))
        #expect(send("GET", "/api/1/composes/\(id)").json["removed_by"] == "root")
        try inspect.execute("UPDATE composes SET state = 1 WHERE id = \(id)")
        expectError(
            send("DELETE", "/api/1/composes/\(id)", identity: oidc("root", groups: ["kiln-admins"])), 400,
            "Compose (id=\(id)) can not be removed, its state need to be in ['done', 'failed'].")
        expectError(
            send("DELETE", "/api/1/composes/999999", identity: oidc("root", groups: ["kiln-admins"])), 404,
            "No such compose found.")
    }

    @Test func metricsCountComposesLive() throws {
        func waitingTags() -> Int64? {
            let text = send("GET", "/api/1/metrics/").response.bodyText
            let line = text.split(separator: "\n").first {
                $0.hasPrefix(#"composes_total{source_type="tag",state="wait"}"#)
            }
            return line.flatMap { Int64($0.split(separator: " ").last!) }
        }
        let before = try #require(waitingTags())
        create()
        #expect(waitingTags() == before + 1)
        let r = send("GET", "/api/1/metrics/")
        #expect(r.response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(
            r.response.bodyText.contains(
                #"kiln_http_requests_total{method="POST",route="/api/1/composes/",status="200"}"#))
    }

    @Test func aboutAnswersWithAndWithoutSlash() {
        for path in ["/api/1/about/", "/api/1/about"] {
            let r = send("GET", path)
            #expect(r.status == 200)
            #expect(r.json["auth_backend"] == "openidc")
            #expect(r.json["allowed_clients"]?["groups"]?["releng"] == .object(JSONObject()))
            #expect(r.json["sigkeys"] == [])
        }
        let spec = send("GET", "/api/1/openapi.json")
        #expect(spec.status == 200 && spec.json["openapi"] == "3.0.3")
    }

    /// Every path of the OpenAPI document is routed, with exactly the documented methods (plus HEAD); any other
    /// method answers 405 listing them. Path parameters get values that name nothing.
    @Test func openAPIPathsAndMethodsAreTheRoutedOnes() throws {
        let paths = try #require(send("GET", "/api/1/openapi.json").json["paths"]?.objectValue)
        #expect(paths["/cts/api/1/composes/{compose_id}/diff/{other_compose_id}"] != nil)
        let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        for (template, item) in paths.pairs {
            let path = template.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
                guard segment.hasPrefix("{") else { return String(segment) }
                return segment.hasSuffix("compose_id}") ? "Nope-1-20260101.n.0" : "999999"
            }.joined(separator: "/")
            let documented = Set((item.objectValue?.keys ?? []).map { $0.uppercased() }.filter(methods.contains))
            #expect(!documented.isEmpty, "\(template)")
            for method in methods {
                let r = send(method, path, body: "{}")
                if documented.contains(method) {
                    #expect(r.status != 405, "\(method) \(template)")
                    #expect(
                        r.json["message"] != "The requested URL was not found on the server.", "\(method) \(template)")
                } else {
                    #expect(r.status == 405, "\(method) \(template)")
                    let allowed = Set(
                        (r.response.header("Allow") ?? "").split(separator: ",").map { String($0).trimmingWhitespace() }
                    )
                    #expect(allowed == documented.union(["HEAD"]), "\(method) \(template)")
                }
            }
        }
    }

    /// Every route's requests are counted under that route's name from the table; nothing else becomes a label.
    @Test func metricsRouteLabelsAreTheTablesNames() throws {
        for route in RouteTable.kiln.routes {
            let path = route.pattern.description.split(separator: "/", omittingEmptySubsequences: false).map {
                $0.hasPrefix("{") ? "1" : String($0)
            }.joined(separator: "/")
            _ = send(route.method, path, body: "{}")
        }
        _ = send("GET", "/api/1/nothing")
        _ = send("GET", "/cts/api/1/composes/x/nothing")
        let text = send("GET", "/api/1/metrics/").response.bodyText
        var labels: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("kiln_http_requests_total{") {
            let label = try #require(line.firstRange(of: #"route=""#).map { line[$0.upperBound...] })
            labels.insert(String(label.prefix { $0 != "\"" }))
        }
        #expect(labels == RouteTable.kiln.metricsNames)
    }

    @Test func unreachableDatabaseIsA503AndRecoveryIsImmediate() throws {
        let dead = DatabaseSession(conninfo: "host=/nonexistent-kiln-socket-dir dbname=none connect_timeout=1")
        let request = HTTPRequest(method: "GET", path: "/api/1/composes/")
        let logs = self.logs
        let down = responder.respond(to: request, session: dead, logger: Logger(label: "test") { _ in logs })
        #expect(logs.entries.contains { $0.level == .error && $0.message == "database unavailable" })
        #expect(down.status == 503)
        #expect(down.header("Retry-After") == "5")

        // A connection the server dropped (as after a restart) is replaced transparently on the next request.
        #expect(send("GET", "/api/1/composes/").status == 200)
        try inspect.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid()"
        )
        #expect(send("GET", "/api/1/composes/").status == 200)
        create()
        try inspect.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid()"
        )
        #expect(
            send(
                "POST", "/api/1/composes/", body: #"{"source": {"type": "tag", "source": "f40"}}"#,
                identity: oidc("alice")
            ).status == 200)
    }
}
