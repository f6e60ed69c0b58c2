import KilnFastCGI
import Testing

@testable import KilnAPI

/// Matching, path parameters, 405 with `Allow` and HEAD, on a small table and on Kiln's own.
struct RouteTableTests {
    static func answer(_ text: String) -> Route.Handler {
        { _ in HTTPResponse(status: 200, headers: [], body: Array(text.utf8)) }
    }

    let table = RouteTable([
        Route("GET", RoutePattern("/items/"), handler: answer("list")),
        Route("POST", RoutePattern("/items/"), handler: answer("create")),
        Route("GET", RoutePattern("/items/{id:int}"), handler: answer("get")),
        Route("DELETE", RoutePattern("/items/{id:int}"), handler: answer("delete")),
        Route("GET", RoutePattern("/names/{name}/parts/{part}", optionalTrailingSlash: true), handler: answer("part")),
        Route("PUT", RoutePattern("/names/{name}/parts/{part}", optionalTrailingSlash: true), handler: answer("put")),
    ])

    func matched(_ method: String, _ path: String) -> (String, RouteParameters)? {
        guard case .route(let route, let parameters) = table.match(method: method, path: path) else { return nil }
        return (route.method + " " + route.pattern.description, parameters)
    }

    func allowed(_ method: String, _ path: String) -> [String]? {
        guard case .methodNotAllowed(let allowed) = table.match(method: method, path: path) else { return nil }
        return allowed
    }

    func notFound(_ method: String, _ path: String) -> Bool {
        if case .notFound = table.match(method: method, path: path) { return true }
        return false
    }

    @Test func patternsMatchWithTheirTrailingSlashRules() {
        #expect(matched("GET", "/items/")?.0 == "GET /items/")
        #expect(matched("GET", "/items")?.0 == "GET /items/")
        #expect(matched("POST", "/items")?.0 == "POST /items/")
        #expect(matched("GET", "/items/12")?.0 == "GET /items/{id}")
        #expect(matched("GET", "/names/a/parts/b/")?.0 == "GET /names/{name}/parts/{part}")
        #expect(matched("GET", "/names/a/parts/b")?.0 == "GET /names/{name}/parts/{part}")
        #expect(notFound("GET", "/items/12/"))
        #expect(notFound("GET", "/items//"))
        #expect(notFound("GET", "/names/a/parts/b//"))
        #expect(notFound("GET", "/nothing"))
        #expect(notFound("GET", "items/"))
        #expect(notFound("GET", ""))
    }

    @Test func typedParametersReachTheHandler() throws {
        #expect(try matched("GET", "/items/0042")?.1.int("id") == 42)
        #expect(try matched("DELETE", "/items/123456789012345678")?.1.int("id") == 123_456_789_012_345_678)
        // Not digits, too long, or signed: no route.
        for id in ["abc", "1234567890123456789", "-1", "+1", "1a", "%31", "١"] {
            #expect(notFound("GET", "/items/" + id), "\(id)")
        }
        let parameters = try #require(matched("PUT", "/names/a%2Fb/parts/%C3%A9t%C3%A9")?.1)
        #expect(try parameters.string("name") == "a/b")
        #expect(try parameters.string("part") == "été")
        // In a path, `+` is a plus sign (only query strings spell a space that way).
        #expect(try matched("GET", "/names/a+b/parts/c%2Bd")?.1.string("name") == "a+b")
        #expect(try matched("GET", "/names/a+b/parts/c%2Bd")?.1.string("part") == "c+d")
        #expect(throws: APIError.self) { try parameters.int("name") }
        #expect(throws: APIError.self) { try parameters.string("missing") }
        // An empty value or one with a control character names nothing.
        #expect(notFound("GET", "/names//parts/b"))
        #expect(notFound("GET", "/names/a%00b/parts/b"))
        #expect(notFound("GET", "/names/a%0Ab/parts/b"))
    }

    @Test func wrongMethodListsThePathsMethodsWithHeadAfterGet() {
        #expect(allowed("PATCH", "/items/") == ["GET", "HEAD", "POST"])
        #expect(allowed("POST", "/items/7") == ["GET", "HEAD", "DELETE"])
        #expect(allowed("DELETE", "/names/x/parts/y") == ["GET", "HEAD", "PUT"])
        #expect(table.allowedMethods(path: "/items") == ["GET", "HEAD", "POST"])
        #expect(table.allowedMethods(path: "/nothing") == [])
    }

    @Test func headIsAnsweredByTheGetRoute() {
        #expect(matched("HEAD", "/items/")?.0 == "GET /items/")
        #expect(matched("HEAD", "/items/3")?.0 == "GET /items/{id}")
        let putOnly = RouteTable([Route("PUT", RoutePattern("/only"), handler: Self.answer("put"))])
        guard case .methodNotAllowed(let allowed) = putOnly.match(method: "HEAD", path: "/only") else {
            Issue.record("HEAD on a path without GET must be 405")
            return
        }
        #expect(allowed == ["PUT"])
    }

    @Test func kilnsTableAnswersEachAPIsPaths() throws {
        let kiln = RouteTable.kiln
        #expect(kiln.allowedMethods(path: "/api/1/composes") == ["GET", "HEAD", "POST"])
        #expect(kiln.allowedMethods(path: "/api/1/composes/7") == ["GET", "HEAD", "PATCH", "DELETE"])
        #expect(kiln.allowedMethods(path: "/api/1/composes/7/") == [])
        #expect(kiln.allowedMethods(path: "/api/1/openapi.json/") == [])
        let rpms = "/cts/api/1/composes/F-1-20260101.n.0/rpms"
        #expect(kiln.allowedMethods(path: rpms) == ["GET", "HEAD", "POST", "PUT"])
        #expect(kiln.allowedMethods(path: "/cts/api/1/tags/7/") == ["GET", "HEAD", "PATCH"])
        #expect(kiln.allowedMethods(path: "/cts/api/1/userinfo/") == ["GET", "HEAD"])
        #expect(kiln.allowedMethods(path: "/cts/api/1/") == [])
        guard
            case .route(let route, let parameters) = kiln.match(
                method: "GET", path: "/cts/api/1/composes/A-1-20260101.n.0/diff/B-2-20260101.n.1/")
        else {
            Issue.record("the diff route must match")
            return
        }
        #expect(route.metricsName == "/cts/api/1/composes/:compose_id/diff/:other_compose_id")
        #expect(try parameters.string("compose_id") == "A-1-20260101.n.0")
        #expect(try parameters.string("other_compose_id") == "B-2-20260101.n.1")
        #expect(route.checksQuery)
        guard case .route(let repo, _) = kiln.match(method: "GET", path: "/cts/api/1/composes/A-1-20260101.n.0/repo")
        else {
            Issue.record("the repo route must match")
            return
        }
        #expect(repo.checksQuery == false)
    }

    /// Request metrics are labelled with the table's names only: a fixed set, one per pattern.
    @Test func metricsNamesAreThePatternsInColonForm() {
        #expect(
            RouteTable.kiln.metricsNames
                == Set(
                    [
                        "unmatched", "/api/1/composes/", "/api/1/composes/:id", "/api/1/about/", "/api/1/metrics/",
                        "/api/1/openapi.json", "/cts/api/1/composes/", "/cts/api/1/composes/:compose_id",
                        "/cts/api/1/composes/:compose_id/changes/", "/cts/api/1/composes/:compose_id/repo/",
                        "/cts/api/1/composes/:compose_id/rpms/",
                        "/cts/api/1/composes/:compose_id/diff/:other_compose_id",
                        "/cts/api/1/tags/", "/cts/api/1/tags/:tag", "/cts/api/1/tags/:tag/changes/",
                        "/cts/api/1/userinfo",
                        "/cts/api/1/about/", "/cts/api/1/metrics/", "/cts/api/1/openapi.json",
                        "/api/1/reports/composes-per-day", "/api/1/reports/generation-time",
                        "/api/1/reports/time-to-done", "/api/1/reports/volume", "/api/1/reports/product-size",
                    ] + RouteTable.pages.map(\.metricsName)))
        #expect(RouteTable.kiln.metricsNames.contains("/"))
        #expect(RouteTable.kiln.metricsNames.contains("/reports/:name"))
    }
}
