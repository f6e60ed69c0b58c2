import Foundation
import KilnCore
import Testing

@testable import KilnCompose

/// Reading module streams and writing modules.yaml with libmodulemd.
@Suite struct ModuleMetadataTests {
    static let app = """
        ---
        document: modulemd
        version: 2
        data:
          name: app
          stream: "1"
          version: 20240101000000
          context: aaaa1111
          summary: App
          description: App module.
          license:
            module: [MIT]
          dependencies:
          - requires:
              lib: ["2", "3"]
              platform: [f40]
          - requires:
              tool: []
          artifacts:
            rpms:
            - app-0:1.0-1.module_f40+1+aaaa1111.noarch
            - app-0:1.0-1.module_f40+1+aaaa1111.src
        ...

        """

    static let defaults = """
        ---
        document: modulemd-defaults
        version: 1
        data:
          module: app
          stream: "1"
          profiles:
            "1": [default]
        ...

        """

    @Test func streamsAreRead() throws {
        let streams = try ModuleMetadata.streams(in: Self.app, what: "app")
        #expect(streams.count == 1)
        let s = try #require(streams.first)
        #expect(s.name == "app" && s.stream == "1" && s.version == 20_240_101_000_000 && s.context == "aaaa1111")
        #expect(s.artifacts == ["app-0:1.0-1.module_f40+1+aaaa1111.noarch", "app-0:1.0-1.module_f40+1+aaaa1111.src"])
        #expect(s.requires == ["lib": ["2", "3"], "platform": ["f40"], "tool": []])
    }

    @Test func invalidModulemdIsRefused() {
        #expect(throws: ModuleMetadata.Invalid.self) {
            try ModuleMetadata.streams(in: "---\ndocument: modulemd\nversion: 2\ndata: [1]\n...\n", what: "x")
        }
        #expect(throws: ModuleMetadata.Invalid.self) { try ModuleMetadata.streams(in: "{{{", what: "x") }
    }

    @Test func defaultsOfOtherModulesAreLeftOut() throws {
        let other = Self.defaults.replacingOccurrences(of: "module: app", with: "module: other")
        let yaml = try ModuleMetadata.modulesYAML([Self.app], defaults: [Self.defaults, other])
        #expect(yaml.contains("module: app"))
        #expect(!yaml.contains("module: other"))
    }

    @Test func modulesYAMLHoldsStreamsAndDefaults() throws {
        let yaml = try ModuleMetadata.modulesYAML([Self.app, Self.defaults])
        #expect(yaml.contains("document: modulemd-defaults"))
        #expect(yaml.contains("name: app"))
        // It reads back as the same stream.
        #expect(try ModuleMetadata.streams(in: yaml, what: "round trip").map(\.context) == ["aaaa1111"])
    }
}
