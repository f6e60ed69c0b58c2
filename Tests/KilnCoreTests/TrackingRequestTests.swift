import Testing

@testable import KilnCore

/// The compose tracking write bodies: each parses what CTS accepts and refuses each bad field with CTS's message.
@Suite struct TrackingRequestTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func refusal(_ message: String) -> ComposeError { .invalid(message) }

    /// Bodies every tracking write refuses the same way, with `empty` the write's own message for a missing body.
    static func commonRefusals(empty: String) -> [(String, String)] {
        [
            ("", empty), ("  \n", empty), ("{}", empty), ("null", empty), ("false", empty), ("[]", empty),
            ("[1]", "The request body must be a JSON object"), ("\"x\"", "The request body must be a JSON object"),
            (#"{"name": "a\u0001"}"#, #"Field "name" contains a control character, which is not allowed."#),
        ]
    }

    // MARK: PATCH /cts/api/1/composes/<id>

    @Test func composePatchTagsUntagsAndSetsURLs() throws {
        let tagBody = #"{"action": "tag", "tag": "gated", "user_data": "u"}"#
        let tag = try TrackedComposePatch.parse(body: Self.bytes(tagBody))
        #expect(tag == TrackedComposePatch(action: .tag("gated"), userData: "u"))
        #expect(tag.action.name == "tag")
        let untag = try TrackedComposePatch.parse(body: Self.bytes(#"{"action": "untag", "tag": "gated"}"#))
        #expect(untag == TrackedComposePatch(action: .untag("gated")))
        let urlBody = #"{"action": "set_url", "compose_url": "https://h/c"}"#
        let url = try TrackedComposePatch.parse(body: Self.bytes(urlBody))
        #expect(url == TrackedComposePatch(action: .setURL(.success("https://h/c"))))
        #expect(url.action.name == "set_url")
    }

    @Test(
        arguments: commonRefusals(empty: "No JSON PATCH data submitted.") + [
            (#"{"tag": "x"}"#, #"No "action" field in JSON PATCH data."#),
            (#"{"action": null}"#, #"No "action" field in JSON PATCH data."#),
            (#"{"action": "tag", "user_data": 3}"#, #""user_data" must be a string."#),
            (#"{"action": "tag"}"#, #"No "tag" field in JSON PATCH data."#),
            (#"{"action": "untag", "tag": ""}"#, #"No "tag" field in JSON PATCH data."#),
            (#"{"action": "tag", "tag": 5}"#, #"No "tag" field in JSON PATCH data."#),
            (#"{"action": "retag", "tag": "x"}"#, "Unknown action."),
            (#"{"action": 1}"#, "Unknown action."),
            // A field the action does not use is refused, not ignored.
            (
                #"{"action": "tag", "tag": "x", "compose_url": "https://h/c"}"#,
                #"Field "compose_url" is not used by action "tag"."#
            ),
            (
                #"{"action": "set_url", "compose_url": "https://h/c", "tag": "x"}"#,
                #"Field "tag" is not used by action "set_url"."#
            ),
            (#"{"action": "tag", "tag": "x", "priority": 1}"#, #"Unknown field "priority" in the request."#),
        ])
    func composePatchRefusals(_ testCase: (body: String, message: String)) {
        #expect(throws: Self.refusal(testCase.message)) {
            try TrackedComposePatch.parse(body: Self.bytes(testCase.body))
        }
    }

    /// A bad URL is kept as the refusal the handler raises after checking the caller may set URLs.
    @Test func composePatchKeepsURLRefusalsForAfterThePermissionCheck() throws {
        let invalidURL = #""compose_url" field must be a valid http(s) URL"#
        let cases = [
            (#"{"action": "set_url"}"#, #"No "compose_url" field in JSON PATCH data."#),
            (#"{"action": "set_url", "compose_url": null}"#, #"No "compose_url" field in JSON PATCH data."#),
            (#"{"action": "set_url", "compose_url": "ftp://h/c"}"#, invalidURL),
            (#"{"action": "set_url", "compose_url": 7}"#, invalidURL),
            (#"{"action": "set_url", "compose_url": "http://u@h/"}"#, invalidURL),
        ]
        for (body, message) in cases {
            let patch = try TrackedComposePatch.parse(body: Self.bytes(body))
            #expect(patch.action == .setURL(.failure(Self.refusal(message))), "\(body)")
        }
    }

    // MARK: POST /cts/api/1/tags/

    @Test func tagCreateTakesTheThreeFieldsAndUserData() throws {
        let body = #"{"name": "gated", "description": "d", "documentation": "https://doc", "user_data": "why"}"#
        #expect(
            try TagCreateRequest.parse(body: Self.bytes(body))
                == TagCreateRequest(name: "gated", description: "d", documentation: "https://doc", userData: "why"))
    }

    @Test(
        arguments: commonRefusals(empty: "No JSON POST data submitted.") + [
            (#"{"description": "d", "documentation": "x"}"#, #"Tag "name" is not defined."#),
            (#"{"name": "", "description": "d", "documentation": "x"}"#, #"Tag "name" is not defined."#),
            (#"{"name": 1, "description": "d", "documentation": "x"}"#, #"Tag "name" is not defined."#),
            (#"{"name": "n", "documentation": "x"}"#, #"Tag "description" is not defined."#),
            (#"{"name": "n", "description": "d"}"#, #"Tag "documentation" is not defined."#),
            (
                #"{"name": "n", "description": "d", "documentation": "x", "user_data": []}"#,
                #""user_data" must be a string."#
            ),
            (
                #"{"name": "n", "description": "d", "documentation": "x", "taggers": ["bob"]}"#,
                #"Unknown field "taggers" in the request."#
            ),
        ])
    func tagCreateRefusals(_ testCase: (body: String, message: String)) {
        #expect(throws: Self.refusal(testCase.message)) { try TagCreateRequest.parse(body: Self.bytes(testCase.body)) }
    }

    // MARK: PATCH /cts/api/1/tags/<id>

    @Test func tagPatchEditsFieldsAndGrantsOrRevokes() throws {
        let editBody = #"{"name": "n2", "description": "", "documentation": null}"#
        let edit = try TagPatchRequest.parse(body: Self.bytes(editBody))
        #expect(edit == TagPatchRequest(name: "n2"))
        let grant = try TagPatchRequest.parse(
            body: Self.bytes(#"{"action": "add_untagger", "group": "qa", "username": "", "user_data": "ok"}"#))
        #expect(grant.grant == .init(kind: .untagger, adds: true, username: nil, group: "qa", userData: "ok"))
        #expect(grant.grant?.action == "add_untagger")
        let revoke = try TagPatchRequest.parse(body: Self.bytes(#"{"action": "remove_tagger", "username": "bob"}"#))
        #expect(revoke.grant == .init(kind: .tagger, adds: false, username: "bob", group: nil, userData: nil))
        #expect(revoke.grant?.action == "remove_tagger")
    }

    @Test(
        arguments: commonRefusals(empty: "No JSON POST data submitted.") + [
            (#"{"name": 3}"#, #"Tag "name" must be a string."#),
            (#"{"description": ["d"]}"#, #"Tag "description" must be a string."#),
            (#"{"documentation": true}"#, #"Tag "documentation" must be a string."#),
            (#"{"action": "add_owner", "username": "bob"}"#, "Unknown action."),
            (#"{"action": 2, "username": "bob"}"#, "Unknown action."),
            (#"{"action": "add_tagger", "username": 5}"#, #""username" must be a string."#),
            (#"{"action": "add_tagger", "group": {}}"#, #""group" must be a string."#),
            (
                #"{"action": "add_tagger", "username": "", "group": null}"#,
                #"Either "username" or "group" should be defined."#
            ),
            (#"{"action": "add_tagger", "group": "g", "user_data": 1}"#, #""user_data" must be a string."#),
            (
                #"{"name": "n2", "username": "bob"}"#,
                #"Field "username" is used only with an action (add_tagger, remove_tagger, add_untagger, "#
                    + #"remove_untagger)."#
            ),
            (#"{"name": "n2", "owner": "bob"}"#, #"Unknown field "owner" in the request."#),
        ])
    func tagPatchRefusals(_ testCase: (body: String, message: String)) {
        #expect(throws: Self.refusal(testCase.message)) { try TagPatchRequest.parse(body: Self.bytes(testCase.body)) }
    }

    // MARK: POST and PUT /cts/api/1/composes/<id>/rpms/

    @Test func contentsUploadParsesTheDocument() throws {
        let upload = try ComposeContentsUpload.parse(body: Self.bytes(ComposeContentsTests.document), replaces: true)
        #expect(upload.replaces)
        #expect(upload.contents.composeID == "odcs-42-1-20240425.t.0" && upload.contents.entries.count == 5)
    }

    @Test func contentsUploadRefusesAnEmptyBodyNamingTheMethod() {
        #expect(throws: Self.refusal("No JSON PUT data submitted.")) {
            try ComposeContentsUpload.parse(body: Self.bytes(" \n"), replaces: true)
        }
        #expect(throws: Self.refusal("No JSON POST data submitted.")) {
            try ComposeContentsUpload.parse(body: [], replaces: false)
        }
        #expect(throws: ComposeError.self) { try ComposeContentsUpload.parse(body: Self.bytes("[]"), replaces: false) }
    }

    // MARK: POST /cts/api/1/composes/

    @Test func importParsesItsRPMListAfterTheRest() throws {
        let info = RequestInputTests.composeInfo()
        let body = #"{"compose_info": \#(info), "rpms": \#(ComposeContentsTests.document)}"#
        let request = try ComposeImportRequest.parse(body: Self.bytes(body))
        #expect(request.contents?.entries.count == 5)
        #expect(try ComposeImportRequest.parse(body: Self.bytes(#"{"compose_info": \#(info)}"#)).contents == nil)
        let bad = #"{"compose_info": \#(info), "rpms": {"header": {"type": "productmd.rpms", "version": "1.2"}}}"#
        #expect(throws: ComposeError.self) { try ComposeImportRequest.parse(body: Self.bytes(bad)) }
        let badURLFirst = #"{"compose_info": \#(info), "compose_url": "x", "rpms": []}"#
        #expect(throws: Self.refusal(#""compose_url" field must be a valid http(s) URL"#)) {
            try ComposeImportRequest.parse(body: Self.bytes(badURLFirst))
        }
    }
}
