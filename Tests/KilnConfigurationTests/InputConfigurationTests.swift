import Foundation
import KilnConfiguration
import KilnCore
import Testing

/// `compose_types` and the lifetime keys, from `KILN_<KEY>` overrides.
@Suite struct InputConfigurationTests {
    func load(_ environment: [String: String]) throws -> KilnConfiguration {
        let path = NSTemporaryDirectory() + "kiln-input-config-\(UUID().uuidString).json"
        try "{}".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try KilnConfiguration.load(path: path, environment: environment)
    }

    @Test func composeTypesDefaultToProductmdsAndMayBeNarrowed() throws {
        #expect(try load([:]).service.composeTypes == ["test", "ci", "nightly", "production", "development"])
        #expect(try load(["KILN_COMPOSE_TYPES": #"["nightly", "test"]"#]).service.composeTypes == ["nightly", "test"])
    }

    @Test(arguments: [
        (
            "KILN_COMPOSE_TYPES", #"["test", "../x"]"#,
            "configuration key compose_types: ../x is not a productmd compose type"
        ),
        ("KILN_SECONDS_TO_LIVE", "-1", "configuration key seconds_to_live: must be 1 to 3155760000"),
        (
            "KILN_MAX_SECONDS_TO_LIVE", "9223372036854775807",
            "configuration key max_seconds_to_live: must be 1 to 3155760000"
        ),
    ])
    func outOfRangeValuesNameTheKey(key: String, value: String, message: String) {
        #expect(performing: { _ = try load([key: value]) }, throws: { "\($0)" == message })
    }

    @Test func mbsURLIsAnHTTPURLAndUnsetByDefault() throws {
        #expect(try load([:]).service.mbsURL == nil)
        let url = "https://mbs.example.com/module-build-service"
        #expect(try load(["KILN_MBS_URL": url]).service.mbsURL == url)
        #expect(
            performing: { _ = try load(["KILN_MBS_URL": "ftp://mbs.example.com/"]) },
            throws: { "\($0)".hasPrefix("configuration key mbs_url: must be an http(s) URL") })
    }
}
