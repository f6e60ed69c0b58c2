import Testing

@testable import KilnCore

@Suite struct ComposeJSONTests {
    var configuration: ServiceConfiguration {
        var c = ServiceConfiguration()
        c.targetDir = "/srv/composes"
        c.targetDirURL = "http://localhost/odcs"
        c.extraTargetDirs = ["private": "/srv/private"]
        return c
    }

    func compose() -> Compose {
        var c = Compose(
            id: 3, owner: "dev", sourceType: .module, source: "testmodule:master",
            timeToExpire: .init(secondsSinceEpoch: 1_704_153_600),
            timeSubmitted: .init(secondsSinceEpoch: 1_704_067_200))
        c.arches = "x86_64"
        c.multilibArches = ""
        c.lookasideRepos = ""
        c.composeType = "test"
        c.targetDir = "/srv/composes"
        return c
    }

    static let odcsKeys: Set<String> = [
        "id", "owner", "source_type", "source", "state", "state_name", "state_reason", "time_to_expire",
        "time_submitted",
        "time_started", "time_done", "time_removed", "removed_by", "result_repo", "result_repofile", "toplevel_url",
        "flags",
        "results", "sigkeys", "koji_event", "koji_task_id", "packages", "builds", "arches", "multilib_arches",
        "multilib_method",
        "lookaside_repos", "modular_koji_tags", "module_defaults_url", "label", "compose_type", "pungi_compose_id",
        "target_dir",
        "scratch_modules", "parent_pungi_compose_ids", "scratch_build_tasks", "modules", "respin_of",
        "base_module_br_name",
        "base_module_br_stream", "base_module_br_stream_version_lte", "base_module_br_stream_version_gte",
    ]

    @Test func hasExactlyODCSKeysAndDetailAddsConfigDump() {
        guard case .object(let o) = compose().json(configuration: configuration) else {
            Issue.record("not an object")
            return
        }
        #expect(Set(o.keys) == Self.odcsKeys)
        guard case .object(let full) = compose().json(configuration: configuration, full: true) else { return }
        #expect(Set(full.keys) == Self.odcsKeys.union(["pungi_config_dump"]))
    }

    @Test func matchesTheODCSExample() {
        let text = compose().json(configuration: configuration).serialized()
        #expect(text.contains(#""result_repo": "http://localhost/odcs/odcs-3/compose/Temporary""#))
        #expect(text.contains(#""result_repofile": "http://localhost/odcs/odcs-3/compose/Temporary/odcs-3.repo""#))
        #expect(text.contains(#""toplevel_url": "http://localhost/odcs/odcs-3""#))
        #expect(text.contains(#""time_submitted": "2024-01-01T00:00:00Z""#))
        #expect(text.contains(#""time_to_expire": "2024-01-02T00:00:00Z""#))
        #expect(text.contains(#""state": 0, "state_name": "wait", "state_reason": null"#))
        #expect(text.contains(#""flags": [], "id": 3"#))
        #expect(text.contains(#""results": ["repository"]"#))
        #expect(text.contains(#""sigkeys": """#))
        #expect(text.contains(#""target_dir": "default""#))
    }

    @Test func reusingComposeShowsTheReusedComposeURLs() {
        var c = compose()
        c.reusedID = 1
        #expect(c.json(configuration: configuration)["toplevel_url"] == "http://localhost/odcs/odcs-1")
    }

    @Test func rawConfigHasNoRepoAndExtraTargetDirHasNoURLs() {
        var raw = compose()
        raw.sourceType = .rawConfig
        #expect(raw.json(configuration: configuration)["result_repo"] == "")
        #expect(raw.json(configuration: configuration)["toplevel_url"] == "http://localhost/odcs/odcs-3")
        var extra = compose()
        extra.targetDir = "/srv/private"
        let j = extra.json(configuration: configuration)
        #expect(j["toplevel_url"] == "" && j["result_repofile"] == "" && j["target_dir"] == "private")
        extra.targetDir = "/elsewhere"
        #expect(extra.json(configuration: configuration)["target_dir"] == "unknown")
    }

    @Test func flagsAndResultsAreNamesInBitOrder() {
        var c = compose()
        c.flags = [.noLabel, .noDeps, .checkDeps]
        c.results = [.bootISO, .repository, .iso]
        let j = c.json(configuration: configuration)
        #expect(j["flags"] == ["no_deps", "check_deps", "no_label"])
        #expect(j["results"] == ["repository", "iso", "boot.iso"])
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"),
        (1_795_305_599, "2026-11-21T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"), (4_102_444_800, "2100-01-01T00:00:00Z"),
    ])
    func timestampsRenderAsODCSDoes(_ testCase: (Int64, String)) {
        #expect(Timestamp(secondsSinceEpoch: testCase.0).iso8601 == testCase.1)
    }
}

@Suite struct JSONTests {
    @Test func keepsIntegersFloatsAndBooleansApart() throws {
        let v = try JSONParser.parse(#"{"a": 1, "b": 1.0, "c": true, "d": null, "e": "x\u00e9\n", "f": [-2, 3e2]}"#)
        #expect(v["a"] == .int(1))
        #expect(v["b"] == .double(1.0))
        #expect(v["c"] == .bool(true))
        #expect(v["d"] == .null)
        #expect(v["e"] == .string("xé\n"))
        #expect(v["f"] == .array([.int(-2), .double(300)]))
        #expect(v.objectValue?.keys == ["a", "b", "c", "d", "e", "f"])
    }

    @Test(arguments: ["", "{", "{\"a\" 1}", "[1,]", "01", "\"\\x\"", "{\"a\": 1} x", "nul", "\"\u{01}\""])
    func rejectsMalformedJSON(_ text: String) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(text) }
    }

    @Test(arguments: ["1e400", "-1e309", "[1, 2e999]"])
    func refusesNumbersBeyondADouble(_ text: String) throws {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(text) }
        #expect(try JSONParser.parse("1e308") == .double(1e308))
    }

    @Test func serializesSortedAndEscaped() {
        let v: JSON = ["b": "q\"\\\n\u{01}", "a": [1, true, nil]]
        #expect(v.serialized() == #"{"a": [1, true, null], "b": "q\"\\\n\u0001"}"#)
    }

    @Test func roundTripsUnicodeSurrogates() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
    }
}

@Suite struct ComposeListQueryTests {
    @Test func defaultsAreNewestFirstTenPerPage() throws {
        let q = try ComposeListQuery.parse([])
        #expect(q.page == 1 && q.perPage == 10 && q.orderKey == .id && q.descending)
    }

    @Test func filtersAcceptNamesAndNumbers() throws {
        #expect(try ComposeListQuery.parse([("state", "done")]).filters == [.state(.done)])
        #expect(try ComposeListQuery.parse([("state", "2")]).filters == [.state(.done)])
        #expect(try ComposeListQuery.parse([("source_type", "tag")]).filters == [.sourceType(.tag)])
        #expect(try ComposeListQuery.parse([("source_type", "7")]).filters == [.sourceType(.pungiCompose)])
        #expect(try ComposeListQuery.parse([("state", "bogus")]).matchesNothing)
        #expect(try ComposeListQuery.parse([("koji_task_id", "")]).filters.isEmpty)
        #expect(try ComposeListQuery.parse([("owner", "a"), ("owner", "b")]).filters == [.owner("a")])
    }

    @Test func pagingFallsBackLikeFlaskSQLAlchemy() throws {
        #expect(try ComposeListQuery.parse([("page", "0")]).page == 1)
        #expect(try ComposeListQuery.parse([("page", "x")]).page == 1)
        #expect(try ComposeListQuery.parse([("per_page", "-1")]).perPage == 20)
        #expect(try ComposeListQuery.parse([("per_page", "0")]).perPage == 0)
        #expect(try ComposeListQuery.parse([("per_page", "x")]).perPage == 10)
    }

    @Test func orderBy() throws {
        let q = try ComposeListQuery.parse([("order_by", "-time_submitted")])
        #expect(q.orderKey == .timeSubmitted && q.descending)
        #expect(try ComposeListQuery.parse([("order_by", "source_type")]).orderKey == .sourceType)
        #expect(try ComposeListQuery.parse([("order_by", "source_Type")]).orderKey == .sourceType)
        #expect(!(try ComposeListQuery.parse([("order_by", "id")]).descending))
        #expect(
            throws: ComposeError.invalid(
                "An invalid order_by key was suplied, allowed keys are: id, owner, source_type, "
                    + "koji_event, state, time_to_expire, time_submitted, time_done, time_removed")
        ) {
            try ComposeListQuery.parse([("order_by", "-")])
        }
    }
}

@Suite struct JSONWriterTests {
    @Test func composeTextIsSortedAndIdenticalToTheGenericSerializer() {
        var c = Compose(
            id: 12, owner: "o\"w\\n\ner", sourceType: .tag, source: "f40", state: .done, flags: [.noDeps],
            timeToExpire: .init(secondsSinceEpoch: 1_800_000_000),
            timeSubmitted: .init(secondsSinceEpoch: 1_700_000_000))
        c.timeDone = .init(secondsSinceEpoch: 1_700_000_100)
        c.label = "é\u{01}"
        c.kojiEvent = -3
        var configuration = ServiceConfiguration()
        configuration.targetDirURL = "http://h/composes/"
        for full in [false, true] {
            var writer = JSONWriter()
            c.write(into: &writer, configuration: configuration, full: full)
            let text = String(decoding: writer.bytes, as: UTF8.self)
            let reparsed = try? JSONParser.parse(writer.bytes)
            #expect(reparsed?.serialized(sortedKeys: true) == text)
            #expect(reparsed?["owner"] == .string("o\"w\\n\ner"))
            #expect(reparsed?["toplevel_url"] == "http://h/composes/odcs-12")
        }
    }
}
