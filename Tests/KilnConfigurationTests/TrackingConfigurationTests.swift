import Foundation
import KilnConfiguration
import KilnCore
import Testing

/// `compose_roots` and `promotion_rules` as the jobs read them, from `KILN_<KEY>` overrides (JSON).
@Suite struct TrackingConfigurationTests {
    /// An empty configuration file, so only the environment counts.
    func loadFromEnvironment(_ environment: [String: String]) throws -> KilnConfiguration {
        let path = NSTemporaryDirectory() + "kiln-tracking-config-\(UUID().uuidString).json"
        try "{}".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try KilnConfiguration.load(path: path, environment: environment)
    }

    @Test func rootsAreParsedAndTargetDirIsAlwaysFirst() throws {
        let c = try loadFromEnvironment([
            "KILN_TARGET_DIR": "/srv/kiln", "KILN_TARGET_DIR_URL": "https://kiln.example/composes/",
            "KILN_COMPOSE_ROOTS":
                #"["/data/trees/", {"path": "/mnt/koji/compose", "url": "https://k.example/compose", "depth": 2, "#
                + #""mount_point": true}]"#,
        ])
        #expect(
            c.tracking.composeRoots == [
                ComposeRoot(path: "/data/trees"),
                ComposeRoot(path: "/mnt/koji/compose", url: "https://k.example/compose", depth: 2, mountPoint: true),
            ])
        #expect(c.composeLocations.roots.map(\.path) == ["/srv/kiln", "/data/trees", "/mnt/koji/compose"])
        #expect(c.composeLocations.url(forDirectory: "/srv/kiln/odcs-3") == "https://kiln.example/composes/odcs-3")
    }

    @Test(arguments: [
        (#"["relative"]"#, "configuration key compose_roots[0]: must be an absolute path"),
        (#"[{"url": "https://x"}]"#, #"configuration key compose_roots[0]: needs an absolute "path""#),
        (
            #"[{"path": "/a", "url": "ftp://x"}]"#,
            #"configuration key compose_roots[0]: "url" must be an http(s) URL prefix"#
        ),
        (#"[{"path": "/a", "depth": 5}]"#, #"configuration key compose_roots[0]: "depth" must be 1 to 4"#),
        (#"[{"path": "/a", "mount": true}]"#, "configuration key compose_roots[0]: unknown key mount"),
        (#"["/a", "/a/"]"#, "configuration key compose_roots[1]: duplicate path /a"),
        (#"{"path": "/a"}"#, "configuration key compose_roots: must be a list of paths or objects"),
    ])
    func badRootsNameTheEntry(value: String, message: String) {
        #expect(
            performing: { _ = try loadFromEnvironment(["KILN_COMPOSE_ROOTS": value]) }, throws: { "\($0)" == message })
    }

    @Test func rulesAreParsedAndNamesAreUnique() throws {
        let c = try loadFromEnvironment([
            "KILN_PROMOTION_RULES": #"[{"name": "a", "tag": "nightly", "release_short": "F", "min_interval": 3600}]"#
        ])
        #expect(
            c.tracking.promotionRules == [
                PromotionRule(name: "a", tag: "nightly", releaseShort: "F", minIntervalSeconds: 3600)
            ])
        #expect(
            performing: {
                _ = try loadFromEnvironment([
                    "KILN_PROMOTION_RULES":
                        #"[{"name": "a", "tag": "t", "release_short": "F"}, {"name": "a", "tag": "u", "#
                        + #""release_short": "G"}]"#
                ])
            }, throws: { "\($0)" == "configuration key promotion_rules[1]: duplicate name a" })
        #expect(
            performing: {
                _ = try loadFromEnvironment(["KILN_PROMOTION_RULES": #"[{"name": "a", "release_short": "F"}]"#])
            }, throws: { "\($0)" == #"configuration key promotion_rules[0]: needs a "tag""# })
    }
}
