import Testing

@testable import KilnCore

/// productmd's modules.json for a module compose.
@Suite struct ProductmdModulesTests {
    @Test func modulesDocumentIsKeyedByVariantArchAndUID() throws {
        let metadata = ProductmdMetadata(
            composeID: ProductmdMetadata.composeID(composeNumber: 4, composeType: "test", date: "20240425", respin: 0),
            label: nil, releaseName: "odcs-4", arches: ["x86_64"], entries: [])
        let build = ModuleBuild(name: "app", stream: "1", version: 20, context: "c1", kojiTag: "module-app-1-20-c1")
        let json = metadata.modulesDocument([
            .init(
                build: build, arch: "x86_64", modulemdPath: "Temporary/x86_64/os/repodata/m-modules.yaml.gz",
                rpms: ["app-0:1-1.noarch"])
        ])
        #expect(
            try JSONParser.parse(
                #"{"header":{"type":"productmd.modules","version":"1.2"},"payload":{"compose":{"date":"20240425","#
                    + #""id":"odcs-4-1-20240425.t.0","respin":0,"type":"test"},"modules":{"Temporary":{"x86_64":{"#
                    + #""app:1:20:c1":{"metadata":{"context":"c1","koji_tag":"module-app-1-20-c1","name":"app","#
                    + #""stream":"1","uid":"app:1:20:c1","version":"20"},"modulemd_path":{"binary":"#
                    + #""Temporary/x86_64/os/repodata/m-modules.yaml.gz"},"rpms":["app-0:1-1.noarch"]}}}}}}"#) == json)
    }

    @Test func moduleRPMsOfAnArchAreItsOwnNoarchAndSource() {
        let artifacts = ["a-0:1-1.x86_64", "a-0:1-1.aarch64", "b-0:1-1.noarch", "a-0:1-1.src", "bad"]
        #expect(
            ProductmdMetadata.moduleRPMs(artifacts, arch: "x86_64") == [
                "a-0:1-1.src", "a-0:1-1.x86_64", "b-0:1-1.noarch",
            ])
    }
}
