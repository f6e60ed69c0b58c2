import Testing

@testable import KilnCore

/// POST validation, step by step as ODCS orders it.
@Suite struct ComposeRequestTests {
    static var configuration: ServiceConfiguration {
        var c = ServiceConfiguration()
        c.targetDir = "/srv/composes"
        c.extraTargetDirs = ["releng-private": "/srv/private"]
        c.rawConfigURLs = [
            "pungi_cfg": .init(
                url: "https://git/pungi.git", configFilename: "pungi.conf", secondsToLive: 600, maxSecondsToLive: 1200)
        ]
        c.sigkeys = ["abc", "def"]
        return c
    }

    func parse(_ body: String) throws(ComposeError) -> ComposeRequest {
        try ComposeRequest.parse(body: Array(body.utf8), owner: "dev", configuration: Self.configuration)
    }

    func message(_ body: String) -> String? {
        do {
            _ = try parse(body)
            return nil
        } catch {
            #expect(error.code == .invalid)
            return error.message
        }
    }

    static let rejected: [(body: String, message: String)] = [
        ("{}", "No JSON POST data submitted"),
        ("null", "No JSON POST data submitted"),
        ("[]", "No JSON POST data submitted"),
        ("0", "No JSON POST data submitted"),
        ("[1]", "The request body must be a JSON object"),
        ("\"x\"", "The request body must be a JSON object"),
        (#"{"source": {"type": "tag", "source": "f40", "packages": "bash"}}"#, "packages should be a list"),
        (#"{"source": {"type": "tag", "source": "f40", "builds": "b-1-1"}}"#, "builds should be a list"),
        (#"{"source": {"type": "tag", "source": "f40", "sigkeys": "k"}}"#, "sigkeys should be a list"),
        (
            #"{"source": {"type": "tag", "source": "f40"}, "multilib_method": "all"}"#,
            "multilib_method should be a list"
        ),
        (#"{"source": {"type": 1, "source": "f40"}}"#, "type should be a string"),
        (#"{"source": {"type": "tag", "source": "f40"}, "label": 5}"#, "label should be a string"),
        (#"{"source": {"type": "tag", "source": "f40"}, "compose_type": ["a"]}"#, "compose_type should be a string"),
        (#"{"source": {"type": "tag", "source": "f40"}, "target_dir": 1}"#, "target_dir should be a string"),
        (
            #"{"source": {"type": "tag", "source": "f40"}, "seconds_to_live": "600"}"#,
            "seconds_to_live should be an integer"
        ),
        (
            #"{"source": {"type": "tag", "source": "f40"}, "seconds_to_live": 1.5}"#,
            "seconds_to_live should be an integer"
        ),
        (#"{"source": {"type": "tag", "source": "f40", "koji_event": "1"}}"#, "koji_event should be an integer"),
        (
            #"{"source": {"type": "tag", "source": "f40"}, "extra": {"a": 1}}"#,
            "Only 'source' key is allowed to contain dict."
        ),
        (
            #"{"source": {"type": "tag", "source": "f40", "nested": {"a": 1}}}"#,
            "Only 'source' key is allowed to contain dict."
        ),
        (#"{"source": {"type": "tag", "source": "f40;rm"}}"#, InputValidation.characterMessage),
        (
            #"{"source": {"type": "tag", "source": "f40"}, "arches": ["x86_64\n"]}"#,
            #"Field "arches[0]" contains a control character, which is not allowed."#
        ),
        (#"{"source": {"type": "tag", "source": "f40"}, "label": null}"#, "label should be a string"),
        (
            #"{"source": {"type": "tag", "source": "f40"}, "respin_of": null}"#,
            "Only dict, list, str, int, float and bool types are allowed in ODCS input "
                + "variables, but 'respin_of' is null"
        ),
        (#"{"source": "f40"}"#, #"Invalid source configuration provided: {"source": "f40"}"#),
        (#"{"flags": ["no_deps"]}"#, #"Invalid source configuration provided: {"flags": ["no_deps"]}"#),
        (#"{"source": {"source": "f40"}}"#, #"Missing type in source configuration, received: {"source": "f40"}"#),
        (#"{"source": {"type": "koji", "source": "f40"}}"#, #"Unknown source type "koji""#),
        (#"{"source": {"type": "tag"}}"#, "No source provided for 1"),
        (#"{"source": {"type": "tag", "source": ""}}"#, "No source provided for 1"),
        (#"{"source": {"type": "module"}}"#, "No source provided for 2"),
        (
            #"{"source": {"type": "raw_config", "source": "a#1 b#2"}}"#,
            #"Only single source is allowed for "raw_config" source_type"#
        ),
        (
            #"{"source": {"type": "raw_config", "source": "pungi_cfg"}}"#,
            #"Source must be in "source_name#commit_hash" format for "raw_config" source_type."#
        ),
        (
            #"{"source": {"type": "raw_config", "source": "pungi_cfg#"}}"#,
            #"Source must be in "source_name#commit_hash" format for "raw_config" source_type."#
        ),
        (
            #"{"source": {"type": "raw_config", "source": "other#abc"}}"#,
            #"Source "other" does not exist in server configuration."#
        ),
        (
            #"{"source": {"type": "module", "source": "testmodule"}}"#,
            #"Module definition must be in "n:s", "n:s:v" or "n:s:v:c" format, but got testmodule"#
        ),
        (
            #"{"source": {"type": "module", "source": "platform:f40"}}"#,
            "ODCS currently cannot create compose with base modules, but platform was requested."
        ),
        (
            #"{"source": {"type": "tag", "source": "f40"}, "seconds-to-live": "ten"}"#,
            #"Invalid seconds_to_live specified in request: {"seconds-to-live": "ten", "source": {"source": "f40", "#
                + #""type": "tag"}}"#
        ),
        (#"{"source": {"type": "tag", "source": "f40"}, "flags": ["foo"]}"#, "Unknown flag foo"),
        (#"{"source": {"type": "tag", "source": "f40"}, "flags": "no_deps"}"#, "flags should be a list"),
        (#"{"source": {"type": "tag", "source": "f40"}, "results": ["iso", "dvd"]}"#, "Unknown result dvd"),
        (#"{"source": {"type": "tag", "source": "f40"}, "arches": "x86_64"}"#, "arches should be a list"),
        (#"{"source": {"type": "tag", "source": "f40"}, "arches": [1]}"#, "arches should be a list of strings"),
        (
            #"{"source": {"type": "tag", "source": "f40"}, "multilib_method": ["most"]}"#,
            #"Unknown multilib method "most""#
        ),
        (
            #"{"source": {"type": "module", "source": "m:s", "module_defaults_url": "git://x"}}"#,
            #"The "module_defaults_url" and "module_defaults_commit" must be used together."#
        ),
        (#"{"source": {"type": "tag", "source": "f40"}, "target_dir": "nowhere"}"#, #"Unknown "target_dir" "nowhere""#),
        ("{\"source\": ", "Failed to decode JSON object: Expecting value: line 1 column 12 (char 11)"),
    ]

    @Test(arguments: rejected)
    func rejectsInvalidBodiesWithODCSMessages(_ testCase: (body: String, message: String)) {
        #expect(message(testCase.body) == testCase.message, "\(testCase.body)")
    }

    @Test func firstFailureWinsInKeyOrder() {
        #expect(message(#"{"label": 5, "source": {"type": 1}}"#) == "label should be a string")
        #expect(message(#"{"source": {"type": 1}, "label": 5}"#) == "type should be a string")
    }

    @Test func packagesMayHoldAnyCharacters() throws {
        let r = try parse(#"{"source": {"type": "tag", "source": "f40", "packages": ["perl(Foo::Bar)", "bash"]}}"#)
        #expect(r.compose.packages == "perl(Foo::Bar) bash")
    }

    @Test func defaultsMatchODCS() throws {
        let r = try parse(#"{"source": {"type": "tag", "source": "f40-build"}}"#)
        let c = r.compose
        #expect(c.owner == "dev")
        #expect(c.sourceType == .tag)
        #expect(c.source == "f40-build")
        #expect(c.state == .wait)
        #expect(c.results == .repository)
        #expect(c.flags == [])
        #expect(c.arches == "x86_64")
        #expect(c.sigkeys == "abc def")
        #expect(c.multilibArches == "")
        #expect(c.lookasideRepos == "")
        #expect(c.composeType == "test")
        #expect(c.targetDir == "/srv/composes")
        #expect(c.packages == nil)
        #expect(c.builds == nil)
        #expect(c.label == nil)
        #expect(r.secondsToLive == 86_400)
    }

    @Test func everyFieldIsCarried() throws {
        let r = try parse(
            """
            {"source": {"type": "tag", "source": "f40 f40 extra", "packages": ["a", "b"], "builds": ["x-1-1"],
             "sigkeys": ["", "k1"], "koji_event": 42, "scratch_build_tasks": ["123"]},
             "flags": ["no_deps", "no_reuse"], "results": ["iso"], "arches": ["x86_64", "aarch64"],
             "multilib_arches": ["i686"], "multilib_method": ["runtime", "devel"], "lookaside_repos": ["http://l/1"],
             "parent_pungi_compose_ids": ["p-1"], "label": "RC-1.0", "compose_type": "production", "target_dir":
                 "releng-private",
             "respin_of": "Fedora-40-1", "seconds_to_live": 3600}
            """)
        let c = r.compose
        #expect(c.source == "f40 extra")
        #expect(c.packages == "a b")
        #expect(c.builds == "x-1-1")
        #expect(c.sigkeys == " k1")
        #expect(c.kojiEvent == 42)
        #expect(c.scratchBuildTasks == "123")
        #expect(c.flags == [.noDeps, .noReuse])
        #expect(c.results == [.repository, .iso])
        #expect(c.arches == "x86_64 aarch64")
        #expect(c.multilibArches == "i686")
        #expect(c.multilibMethod == [.runtime, .devel])
        #expect(c.lookasideRepos == "http://l/1")
        #expect(c.parentPungiComposeIDs == "p-1")
        #expect(c.label == "RC-1.0")
        #expect(c.composeType == "production")
        #expect(c.targetDir == "/srv/private")
        #expect(c.respinOf == "Fedora-40-1")
        #expect(r.secondsToLive == 3600)
    }

    @Test func buildSourceMayBeEmpty() throws {
        let r = try parse(#"{"source": {"type": "build", "builds": ["bash-5.2-1.fc40"]}}"#)
        #expect(r.compose.source == "")
        #expect(r.compose.builds == "bash-5.2-1.fc40")
    }

    @Test func moduleWithScratchModulesMayHaveNoSource() throws {
        // Past ODCS's "No source provided" check; refused afterwards because no Module Build Service is configured.
        let refusal = message(#"{"source": {"type": "module", "scratch_modules": ["m:s:1:c"]}}"#)
        #expect(refusal?.hasPrefix("Module composes are resolved through the Module Build Service") == true)
    }

    @Test func emptySigkeysListMeansUnsignedOnly() throws {
        #expect(try parse(#"{"source": {"type": "tag", "source": "f40", "sigkeys": []}}"#).compose.sigkeys == "")
    }

    @Test func booleanCountsAsIntegerLikePython() throws {
        #expect(try parse(#"{"source": {"type": "tag", "source": "f40", "koji_event": true}}"#).compose.kojiEvent == 1)
    }

    static let lifetimes: [(body: String, seconds: Int64)] = [
        (#"{"source": {"type": "tag", "source": "f"}}"#, 86_400),
        (#"{"source": {"type": "tag", "source": "f"}, "seconds_to_live": 0}"#, 86_400),
        (#"{"source": {"type": "tag", "source": "f"}, "seconds_to_live": 60}"#, 60),
        (#"{"source": {"type": "tag", "source": "f"}, "seconds_to_live": 999999999}"#, 259_200),
        (#"{"source": {"type": "tag", "source": "f"}, "seconds-to-live": "600"}"#, 600),
        (#"{"source": {"type": "tag", "source": "f"}, "seconds-to-live": " 700 "}"#, 700),
        (#"{"source": {"type": "tag", "source": "f"}, "seconds-to-live": 1.9}"#, 1),
        (#"{"source": {"type": "tag", "source": "f"}, "seconds-to-live": ""}"#, 86_400),
        (#"{"source": {"type": "tag", "source": "f"}, "seconds_to_live": 30, "seconds-to-live": 90}"#, 30),
    ]

    @Test(arguments: lifetimes)
    func secondsToLiveDefaultsAndClamping(_ testCase: (body: String, seconds: Int64)) throws {
        #expect(try parse(testCase.body).secondsToLive == testCase.seconds)
    }

    @Test func rawConfigLifetimesOverrideTheDefaults() throws {
        var body = JSONObject()
        body["source"] = ["type": "raw_config", "source": "pungi_cfg#abc"]
        let configuration = Self.configuration
        #expect(try SecondsToLive.resolve(body: body, rawConfigKey: "pungi_cfg", configuration: configuration) == 600)
        var longer = body
        longer["seconds_to_live"] = 5000
        let longest = try SecondsToLive.resolve(body: longer, rawConfigKey: "pungi_cfg", configuration: configuration)
        #expect(longest == 1200)
    }

    static let refusedInput: [(body: String, message: String)] = [
        (
            #"{"source": {"type": "tag", "source": "f"}, "seconds_to_live": -5}"#,
            "seconds_to_live must be a positive number of seconds, not -5."
        ),
        (
            #"{"source": {"type": "tag", "source": "f"}, "seconds_to_live": -9223372036854775808}"#,
            "seconds_to_live must be a positive number of seconds, not -9223372036854775808."
        ),
        (
            #"{"source": {"type": "tag", "source": "f"}, "seconds-to-live": "0"}"#,
            "seconds_to_live must be a positive number of seconds, not 0."
        ),
        (
            #"{"source": {"type": "tag", "source": "f", "koji_event": -1}}"#,
            "koji_event must be an integer from 0 to 2147483647."
        ),
        (
            #"{"source": {"type": "tag", "source": "f", "koji_event": 9223372036854775807}}"#,
            "koji_event must be an integer from 0 to 2147483647."
        ),
        (
            #"{"source": {"type": "module", "source": "m:s", "base_module_br_stream_version_lte": -3}}"#,
            "base_module_br_stream_version_lte must be an integer from 0 to 2147483647."
        ),
        (
            #"{"source": {"type": "tag", "source": "f"}, "compose_type": "../../etc"}"#,
            #"Unknown compose_type "../../etc"; it must be one of test, ci, nightly, production, development."#
        ),
        (
            #"{"source": {"type": "tag", "source": "f"}, "compose_type": "test/x"}"#,
            #"Unknown compose_type "test/x"; it must be one of test, ci, nightly, production, development."#
        ),
        (
            #"{"source": {"type": "tag", "source": "f"}, "label": "../../x"}"#,
            #"Invalid label "../../x": it must be a productmd label such as Alpha-1.0 or RC-1.2."#
        ),
        (
            #"{"source": {"type": "tag", "source": "f"}, "label": "RC-1.0/.."}"#,
            #"Invalid label "RC-1.0/..": it must be a productmd label such as Alpha-1.0 or RC-1.2."#
        ),
        (
            #"{"source": {"type": "tag", "source": "f", "packages": ["kiln-hello\u0000x"]}}"#,
            #"Field "source.packages[0]" contains a control character, which is not allowed."#
        ),
        (
            #"{"source": {"type": "tag", "source": "f"}, "label\u0007": "RC-1.0"}"#,
            #"Field "label\u{7}" contains a control character, which is not allowed."#
        ),
    ]

    @Test(arguments: refusedInput)
    func outOfRangeOrUnsafeInputIsRefused(_ testCase: (body: String, message: String)) {
        #expect(message(testCase.body) == testCase.message)
    }

    @Test func composeTypeComesFromTheConfiguredList() throws {
        var configuration = Self.configuration
        configuration.composeTypes = ["nightly"]
        let body = Array(#"{"source": {"type": "tag", "source": "f"}, "compose_type": "nightly"}"#.utf8)
        let parsed = try ComposeRequest.parse(body: body, owner: "dev", configuration: configuration)
        #expect(parsed.compose.composeType == "nightly")
        #expect(throws: ComposeError.invalid(#"Unknown compose_type "test"; it must be one of nightly."#)) {
            try ComposeRequest.parse(
                body: Array(#"{"source": {"type": "tag", "source": "f"}}"#.utf8), owner: "dev",
                configuration: configuration)
        }
    }

    @Test func renewRefusesABadLabelAndControlCharacters() {
        let label = #"Invalid label "a/b": it must be a productmd label such as Alpha-1.0 or RC-1.2."#
        #expect(throws: ComposeError.invalid(label)) {
            try RenewRequest.parse(body: Array(#"{"label": "a/b"}"#.utf8))
        }
        let control = #"Field "sigkeys[0]" contains a control character, which is not allowed."#
        #expect(throws: ComposeError.invalid(control)) {
            try RenewRequest.parse(body: Array(#"{"sigkeys": ["k\u0000"]}"#.utf8))
        }
        #expect(throws: ComposeError.invalid("seconds_to_live must be a positive number of seconds, not -1.")) {
            let request = try RenewRequest.parse(body: Array(#"{"seconds_to_live": -1}"#.utf8))
            _ = try SecondsToLive.resolve(body: request.body, rawConfigKey: nil, configuration: Self.configuration)
        }
    }
}
