import Testing

@testable import KilnCore

/// Module specs and how a module compose's source resolves to complete builds.
@Suite struct ModuleResolutionTests {
    static let specs: [(text: String, parsed: String?)] = [
        ("nodejs:20", "nodejs:20"),
        ("nodejs:20:4020240101", "nodejs:20:4020240101"),
        ("nodejs:20:4020240101:abcdef12", "nodejs:20:4020240101:abcdef12"),
        ("nodejs", nil),
        ("nodejs:", nil),
        (":20", nil),
        ("nodejs:20:v1", nil),
        ("nodejs:20:-1", nil),
        ("nodejs:20:99999999999999999999", nil),
        ("nodejs:20:1:c:x86_64", nil),
        ("nodejs:20::c", nil),
    ]

    @Test(arguments: specs)
    func specsParse(_ testCase: (text: String, parsed: String?)) {
        #expect(ModuleSpec(parsing: testCase.text)?.description == testCase.parsed)
    }

    @Test func completeOnlyWithAllFourParts() {
        #expect(ModuleSpec(parsing: "a:b:1:c")?.isComplete == true)
        #expect(ModuleSpec(parsing: "a:b:1")?.isComplete == false)
    }

    /// What the build service holds in these tests.
    static let service: [ModuleBuild] = [
        .init(name: "app", stream: "1", version: 10, context: "aaaa", requires: ["lib": ["2"], "platform": ["f40"]]),
        .init(name: "app", stream: "1", version: 20, context: "bbbb", requires: ["lib": ["2"], "platform": ["f40"]]),
        .init(name: "app", stream: "1", version: 20, context: "aaaa", requires: ["lib": ["2"], "platform": ["f40"]]),
        .init(name: "app", stream: "1", version: 30, context: "aaaa", state: "done", requires: ["lib": ["2"]]),
        .init(name: "app", stream: "1", version: 40, context: "aaaa", state: "failed"),
        .init(name: "app", stream: "1", version: 50, context: "aaaa", scratch: true),
        .init(name: "lib", stream: "2", version: 5, context: "cccc", requires: ["base": ["1", "2"]]),
        .init(name: "lib", stream: "3", version: 9, context: "cccc"),
        .init(name: "base", stream: "2", version: 1, context: "dddd"),
        .init(name: "any", stream: "x", version: 1, context: "eeee", requires: ["lib": []]),
        .init(name: "not3", stream: "x", version: 1, context: "ffff", requires: ["lib": ["-3"]]),
        .init(name: "broken", stream: "x", version: 1, context: "ffff", requires: ["missing": ["1"]]),
        .init(name: "lib", stream: "2", version: 6, context: "gggg", state: "done"),
        .init(name: "clash", stream: "x", version: 1, context: "hhhh", requires: ["lib": ["2"]]),
    ]

    static func resolve(_ specs: [String], includeDone: Bool = false, expand: Bool = true) -> String {
        var queries: [ModuleResolution.Query] = []
        do {
            let builds = try ModuleResolution.resolve(
                specs.compactMap(ModuleSpec.init(parsing:)), includeDone: includeDone, expand: expand,
                baseModules: ["platform"]
            ) { query in
                queries.append(query)
                return service
            }
            return builds.map(\.nsvc).joined(separator: " ")
        } catch {
            return "\(error)"
        }
    }

    static let cases: [(specs: [String], includeDone: Bool, expand: Bool, result: String)] = [
        // The latest ready version, every context of it; then what it requires, never the base module.
        (["app:1"], false, true, "app:1:20:aaaa app:1:20:bbbb base:2:1:dddd lib:2:5:cccc"),
        (["app:1"], false, false, "app:1:20:aaaa app:1:20:bbbb"),
        // include_done_modules lets done builds count.
        (["app:1"], true, false, "app:1:30:aaaa"),
        (["app:1"], true, true, "app:1:30:aaaa lib:2:6:gggg"),
        // A version or a complete N:S:V:C narrows; a complete one may be done.
        (["app:1:10"], false, false, "app:1:10:aaaa"),
        (["app:1:30:aaaa"], false, false, "app:1:30:aaaa"),
        (["app:1:40:aaaa"], false, false, "Failed to find module app:1:40:aaaa in the MBS."),
        (["app:1:50"], false, false, "Failed to find module app:1:50 in the MBS."),
        (["nothing:1"], false, true, "Failed to find module nothing:1 in the MBS."),
        // A requirement without streams takes the latest of any stream; "-3" excludes stream 3.
        (["any:x"], false, true, "any:x:1:eeee lib:3:9:cccc"),
        (["not3:x"], false, true, "lib:2:5:cccc not3:x:1:ffff base:2:1:dddd"),
        (["broken:x"], false, true, "Failed to find module missing:1, required by broken:x:1:ffff, in the MBS."),
        // Two versions of one name:stream cannot both be in a compose.
        (["lib:2:5", "lib:2:6"], true, false, "lib:2:6:gggg conflicts with lib:2:5:cccc"),
        // A requirement already met by a requested module adds nothing.
        (["lib:2", "clash:x"], false, true, "base:2:1:dddd clash:x:1:hhhh lib:2:5:cccc"),
    ]

    @Test(arguments: cases)
    func resolves(_ testCase: (specs: [String], includeDone: Bool, expand: Bool, result: String)) {
        let sorted =
            testCase.result.hasPrefix("Failed") || testCase.result.contains("conflicts")
            ? testCase.result : testCase.result.split(separator: " ").sorted().joined(separator: " ")
        #expect(Self.resolve(testCase.specs, includeDone: testCase.includeDone, expand: testCase.expand) == sorted)
    }

    @Test func scratchModulesAreScratchBuildsNamedExactly() {
        #expect(
            ModuleResolution.scratch(ModuleSpec(parsing: "app:1:50:aaaa")!, in: Self.service)?.nsvc == "app:1:50:aaaa")
        // A build that is not a scratch build, a failed one, or an incomplete N:S:V:C: none.
        #expect(ModuleResolution.scratch(ModuleSpec(parsing: "app:1:20:aaaa")!, in: Self.service) == nil)
        #expect(ModuleResolution.scratch(ModuleSpec(parsing: "app:1:50")!, in: Self.service) == nil)
        var failed = Self.service
        failed[5].state = "failed"
        #expect(ModuleResolution.scratch(ModuleSpec(parsing: "app:1:50:aaaa")!, in: failed) == nil)
    }

    @Test func queriesCarryStatesAndBaseModuleFilters() {
        var compose = Compose(
            owner: "o", sourceType: .module, source: "app:1", timeToExpire: .init(secondsSinceEpoch: 0),
            timeSubmitted: .init(secondsSinceEpoch: 0))
        compose.baseModuleBRName = "platform"
        compose.baseModuleBRStreamVersionLTE = 390000
        let query = ModuleResolution.query(
            for: ModuleSpec(parsing: "app:1")!, includeDone: false, compose: compose)
        #expect(query.states == ["ready"])
        #expect(query.baseModuleBRName == "platform" && query.baseModuleBRStreamVersionLTE == 390000)
        #expect(
            ModuleResolution.query(for: ModuleSpec(parsing: "app:1:2:c")!, includeDone: false).states == [
                "ready", "done",
            ])
    }
}
