import Testing

@testable import KilnCore

/// Paging numbers, control characters and URLs, as every API checks them where it parses them.
@Suite struct RequestInputTests {
    static let pages: [(page: String?, perPage: String?, expected: (Int, Int))] = [
        (nil, nil, (1, 10)),
        ("3", "50", (3, 50)),
        ("0", "0", (1, 0)),
        ("-7", "-1", (1, 20)),
        ("x", "x", (1, 10)),
        ("+2", "+5", (2, 5)),
        ("2147483647", "1000", (2_147_483_647, 1000)),
        ("1", "99999999999999999999999", (1, 1000)),
        ("-99999999999999999999999", "1001", (1, 1000)),
    ]

    @Test(arguments: pages)
    func pagingIsBounded(_ testCase: (page: String?, perPage: String?, expected: (Int, Int))) throws {
        let (page, perPage) = try RequestInput.paging(page: testCase.page, perPage: testCase.perPage)
        #expect(page == testCase.expected.0 && perPage == testCase.expected.1)
        // The offset every store computes from them stays far from overflowing.
        #expect((page - 1).multipliedReportingOverflow(by: perPage).overflow == false)
    }

    @Test(arguments: ["2147483648", "9223372036854775807", "9223372036854775808", "99999999999999999999999"])
    func aPageBeyondTheBoundIsRefused(_ page: String) {
        #expect(throws: ComposeError.invalid("Invalid value for \"page\": \(page). It must be at most 2147483647.")) {
            try RequestInput.paging(page: page, perPage: nil)
        }
    }

    @Test func everyListParsesPagingTheSameWay() throws {
        let huge = [("page", "9223372036854775807")]
        #expect(throws: ComposeError.self) { try ComposeListQuery.parse(huge) }
        #expect(throws: ComposeError.self) { try TrackedComposeQuery.parse(huge) }
        #expect(throws: ComposeError.self) { try TrackingTagQuery.parse(huge) }
        #expect(throws: ComposeError.self) { try ComposeContentsQuery.parse(huge) }
        #expect(try TrackingTagQuery.parse([("page", "4"), ("per_page", "5000")]).perPage == 1000)
    }

    @Test func controlCharactersAreFoundWithTheirField() throws {
        #expect(RequestInput.hasControlCharacter("a\u{0}b"))
        #expect(RequestInput.hasControlCharacter("a\u{7F}"))
        #expect(RequestInput.hasControlCharacter("a\u{85}"))
        #expect(RequestInput.hasControlCharacter("line\n"))
        #expect(!RequestInput.hasControlCharacter("Grüße, 東京 -/_.:#"))
        let body = try JSONParser.parse(#"{"a": {"b": ["ok", "x\u001f"]}}"#)
        #expect(throws: ComposeError.invalid(#"Field "a.b[1]" contains a control character, which is not allowed."#)) {
            try RequestInput.requireNoControlCharacters(body)
        }
        try RequestInput.requireNoControlCharacters(try JSONParser.parse(#"{"a": ["b", 1, null, true]}"#))
    }

    static let urls: [(String, Bool)] = [
        ("http://example.com", true),
        ("https://kojipkgs.example.com/compose/Fedora-40-20240101.n.0", true),
        ("HTTPS://Example.COM:8443/a/b?c=d#e", true),
        ("http://192.0.2.1/x", true),
        ("http://[2001:db8::1]:8080/x", true),
        ("http://example.com./x", true),
        ("http", false),
        ("httpx://example.com", false),
        ("http:/example.com", false),
        ("ftp://example.com/x", false),
        ("http://", false),
        ("http:///x", false),
        ("http://user:pw@example.com/", false),
        ("http://exa mple.com/", false),
        ("http://example.com/a b", false),
        ("http://example.com/x\nbaseurl=http://evil/", false),
        ("http://example.com/x\r", false),
        ("http://example.com/\u{0}", false),
        ("http://example.com:0/", false),
        ("http://example.com:65536/", false),
        ("http://example.com:/", false),
        ("http://-bad.example.com/", false),
        ("http://ex_ample.com/", false),
        ("http://[zz::1]/", false),
        ("http://[\u{FF11}::1]/", false),
        ("http://ex\u{E4}mple.com/", false),
    ]

    @Test(arguments: urls)
    func urlsAreParsed(_ testCase: (String, Bool)) {
        #expect(RequestInput.isHTTPURL(testCase.0) == testCase.1, "\(testCase.0)")
    }

    static func composeInfo(variants: String = "{}") -> String {
        #"{"header": {"type": "productmd.composeinfo", "version": "1.2"}, "payload": {"compose": "#
            + #"{"id": "F-1-20200517.n.0", "date": "20200517", "type": "nightly", "respin": 0}, "#
            + #""release": {"name": "F", "short": "F", "version": "1"}, "variants": \#(variants)}}"#
    }

    @Test func importRefusesAURLThatWouldAddLines() {
        let info = Self.composeInfo()
        let body = #"{"compose_info": \#(info), "compose_url": "http://h/x\ngpgcheck=0"}"#
        let control = #"Field "compose_url" contains a control character, which is not allowed."#
        #expect(throws: ComposeError.invalid(control)) {
            try ComposeImportRequest.parse(body: Array(body.utf8))
        }
        let spaced = #"{"compose_info": \#(info), "compose_url": "http://h/x gpgcheck=0"}"#
        #expect(throws: ComposeError.invalid(#""compose_url" field must be a valid http(s) URL"#)) {
            try ComposeImportRequest.parse(body: Array(spaced.utf8))
        }
        let variant = #"{"compose_info": \#(Self.composeInfo(variants: #"{"A]x": {}}"#))}"#
        let uid = #"Cannot parse "compose_info": Variant: Field 'uid' has invalid value: A]x"#
        #expect(throws: ComposeError.invalid(uid)) {
            try ComposeImportRequest.parse(body: Array(variant.utf8))
        }
        let nested = #"{"compose_info": \#(Self.composeInfo(variants: #"{"Server-optional": {}}"#))}"#
        #expect((try? ComposeImportRequest.parse(body: Array(nested.utf8)))?.info.variants.keys == ["Server-optional"])
    }

    @Test func aRepoFileIsOnlyMadeFromAValidURL() {
        let release = ComposeInfo.Release(name: "F", short: "F", version: "1")
        let info = ComposeInfo(date: "20200517", type: .nightly, respin: 0, release: release)
        var compose = TrackedCompose(
            key: 1, composeID: "F-1-20200517.n.0", info: info, builder: "b", composeURL: "http://h/c")
        let file = compose.repoFile(variant: "Server") ?? ""
        #expect(file.contains("baseurl=http://h/c/compose/Server/$basearch/os/\n"))
        compose.composeURL = "http://h/c\ngpgcheck=0"
        #expect(compose.repoFile(variant: "Server") == nil)
    }
}
