import KilnCore
import Testing

@testable import KilnHTTP

/// The Module Build Service client's queries and how it reads (and refuses) MBS's answers.
@Suite struct MBSClientTests {
    func client(_ url: String = "https://mbs.example.com/module-build-service") throws -> MBSClient {
        try MBSClient(url: url, client: HTTPClient())
    }

    @Test func queryAsksForVerboseBuildsNewestFirst() throws {
        var query = ModuleResolution.Query(name: "nodejs", stream: "20", states: ["ready", "done"])
        query.baseModuleBRStreamVersionLTE = 390000
        #expect(
            try client().url(for: query)
                == "https://mbs.example.com/module-build-service/1/module-builds/?name=nodejs&stream=20&state=ready"
                + "&state=done&base_module_br_stream_version_lte=390000&verbose=true&order_desc_by=version&per_page=100"
        )
        let complete = ModuleResolution.Query(name: "a+b", stream: "1", version: 2, context: "c", states: ["ready"])
        #expect(
            try client("http://127.0.0.1:8/mbs/").url(for: complete)
                == "http://127.0.0.1:8/mbs/1/module-builds/?name=a%2Bb&stream=1&version=2&context=c&state=ready"
                + "&verbose=true&order_desc_by=version&per_page=100")
    }

    static let record = #"""
        {"id": 7, "name": "nodejs", "stream": "20", "version": "4020240101", "context": "abcd", "state": 5,
         "state_name": "ready", "koji_tag": "module-abc", "modulemd": "---\ndocument: modulemd\n", "scratch": false}
        """#

    @Test func pageIsRead() throws {
        let page = try MBSClient.parsePage(
            Array(#"{"items": [\#(Self.record)], "meta": {"next": "https://mbs.example.com/x?page=2"}}"#.utf8))
        #expect(page.next == "https://mbs.example.com/x?page=2")
        #expect(page.builds.map(\.nsvc) == ["nodejs:20:4020240101:abcd"])
        #expect(page.builds[0].state == "ready" && page.builds[0].kojiTag == "module-abc")
        let numeric =
            #"{"items": [{"name": "a", "stream": "b", "version": 3, "context": "c", "state": 3, "koji_tag": null, "#
            + #""modulemd": ""}], "meta": {"next": null}}"#
        let numbers = try MBSClient.parsePage(Array(numeric.utf8))
        #expect(numbers.builds[0].state == "done" && numbers.builds[0].kojiTag == "" && numbers.next == nil)
    }

    static let refusals: [(body: String, message: String)] = [
        ("[1]", "MBS's answer has no items list"),
        (#"{"items": {}}"#, "MBS's answer has no items list"),
        (#"{"items": [1]}"#, "an MBS item is not an object"),
        (#"{"items": [{"stream": "b"}]}"#, "an MBS module build has no valid name"),
        (#"{"items": [{"name": "a b", "stream": "b"}]}"#, "an MBS module build has no valid name"),
        (
            #"{"items": [{"name": "a", "stream": "b", "context": "c", "version": "-1"}]}"#,
            "MBS module build a:b has no valid version"
        ),
        (
            #"{"items": [{"name": "a", "stream": "b", "context": "c", "version": "99999999999999999999"}]}"#,
            "MBS module build a:b has no valid version"
        ),
        (
            #"{"items": [{"name": "a", "stream": "b", "context": "c", "version": "1", "state": 99}]}"#,
            "MBS module build a:b:1 has no valid state"
        ),
        (
            #"{"items": [{"name": "a", "stream": "b", "context": "c", "version": "1", "state": 5}]}"#,
            "MBS module build a:b:1 has no modulemd (not verbose?)"
        ),
        (
            #"{"items": [{"name": "a", "stream": "b", "context": "c", "version": "1", "state": 5, "modulemd": "", "#
                + #""scratch": "no"}]}"#,
            "MBS module build a:b:1 has an invalid scratch field"
        ),
        (#"{"items": [], "meta": {"next": 5}}"#, "MBS's meta.next is not a URL"),
    ]

    @Test(arguments: refusals)
    func hostileAnswersAreRefused(_ testCase: (body: String, message: String)) {
        #expect(throws: MBSError(testCase.message)) { try MBSClient.parsePage(Array(testCase.body.utf8)) }
    }

    @Test func nextPageIsFollowedOnlyOnTheSameEndpoint() throws {
        let mbs = try client()
        let next = "https://mbs.example.com/module-build-service/1/module-builds/?name=a&page=2"
        #expect(try mbs.checkNext(next) == next)
        for elsewhere in [
            "https://evil.example.com/module-build-service/1/module-builds/?page=2",
            "http://mbs.example.com/module-build-service/1/module-builds/?page=2",
            "https://mbs.example.com:8443/module-build-service/1/module-builds/?page=2",
            "https://mbs.example.com/other/?page=2", "file:///etc/passwd",
            "https://mbs.example.com/module-build-service/1/module-builds/../../x?page=2",
        ] {
            #expect(throws: MBSError.self) { try mbs.checkNext(elsewhere) }
        }
    }

    @Test func mbsURLMustBeHTTP() {
        #expect(throws: MBSError.self) { try client("ftp://mbs.example.com/") }
    }
}
