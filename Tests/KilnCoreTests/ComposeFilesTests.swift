import Testing
@testable import KilnCore

/// The files a generated compose carries: the .repo file and productmd metadata (wire reference §5, §6).
@Suite struct ComposeFilesTests {
    @Test func repoFileHasODCSsThreeSections() {
        let text = RepoFile.text(name: "odcs-42", resultRepoURL: "http://h/composes/odcs-42/compose/Temporary")
        #expect(text == """
            [odcs-42]
            name=ODCS repository for compose odcs-42
            baseurl=http://h/composes/odcs-42/compose/Temporary/$basearch/os
            type=rpm-md
            skip_if_unavailable=False
            gpgcheck=0
            repo_gpgcheck=0
            enabled=1
            enabled_metadata=1

            [odcs-42-debuginfo]
            name=ODCS repository for compose odcs-42-debuginfo
            baseurl=http://h/composes/odcs-42/compose/Temporary/$basearch/debug/tree
            type=rpm-md
            skip_if_unavailable=False
            gpgcheck=0
            repo_gpgcheck=0
            enabled=0
            enabled_metadata=1

            [odcs-42-source]
            name=ODCS repository for compose odcs-42-source
            baseurl=http://h/composes/odcs-42/compose/Temporary/source/tree
            type=rpm-md
            skip_if_unavailable=False
            gpgcheck=0
            repo_gpgcheck=0
            enabled=0
            enabled_metadata=1

            """)
        #expect(RepoFile.text(name: "odcs-1", resultRepoURL: "").contains("baseurl=$basearch/os\n"))
    }

    @Test func productmdMetadataMatchesTheWireReference() {
        let id = ProductmdMetadata.composeID(composeNumber: 42, composeType: "test", date: "20240425", respin: 0)
        #expect(id.description == "odcs-42-1-20240425.t.0")
        let metadata = ProductmdMetadata(composeID: id, label: "RC-1.0", releaseName: "odcs-42", arches: ["x86_64"], entries: [
            .init(nevra: "foo-0:1.0-1.fc40.src", sourceNEVRA: "foo-0:1.0-1.fc40.src", path: "Temporary/source/tree/Packages/f/foo-1.0-1.fc40.src.rpm",
                  sigkey: nil, category: .source, arch: "x86_64"),
            .init(nevra: "foo-0:1.0-1.fc40.x86_64", sourceNEVRA: "foo-0:1.0-1.fc40.src", path: "Temporary/x86_64/os/Packages/f/foo-1.0-1.fc40.x86_64.rpm",
                  sigkey: "a15b79cc", category: .binary, arch: "x86_64"),
        ])
        let info = metadata.composeInfo()
        #expect(info["header"] == ["type": "productmd.composeinfo", "version": "1.2"])
        #expect(info["payload"]?["compose"] == ["date": "20240425", "final": false, "id": "odcs-42-1-20240425.t.0", "label": "RC-1.0", "respin": 0, "type": "test"])
        #expect(info["payload"]?["release"] == ["internal": false, "name": "odcs-42", "short": "odcs-42", "type": "ga", "version": "1"])
        let variant = info["payload"]?["variants"]?["Temporary"]
        #expect(variant?["paths"]?["os_tree"] == ["x86_64": "Temporary/x86_64/os"])
        #expect(variant?["paths"]?["source_tree"] == ["x86_64": "Temporary/source/tree"])
        #expect(variant?["paths"]?["debug_packages"] == ["x86_64": "Temporary/x86_64/debug/tree/Packages"])
        #expect(metadata.composeInfo(withVariants: false)["payload"]?["variants"] == .object(JSONObject()))
        let group = metadata.rpms()["payload"]?["rpms"]?["Temporary"]?["x86_64"]?["foo-0:1.0-1.fc40.src"]
        #expect(group?["foo-0:1.0-1.fc40.x86_64"] == ["category": "binary", "path": "Temporary/x86_64/os/Packages/f/foo-1.0-1.fc40.x86_64.rpm", "sigkey": "a15b79cc"])
        #expect(group?["foo-0:1.0-1.fc40.src"]?["sigkey"] == .null)
        // A label productmd would reject is left out rather than making the metadata unloadable.
        let unlabelled = ProductmdMetadata(composeID: id, label: "Alpha-1", releaseName: "odcs-42", arches: ["x86_64"], entries: [])
        #expect(unlabelled.composeInfo()["payload"]?["compose"]?["label"] == nil)
    }

    @Test func repositorySourcePolicy() throws {
        let fs: [String: String] = ["/srv/repos": "/srv/repos", "/srv/repos/f40": "/srv/repos/f40", "/srv/repos/escape": "/etc",
                                    "/srv/repos/../etc": "/etc", "/srv/reposx": "/srv/reposx"]
        let policy = RepoSourcePolicy(roots: ["/srv/repos"], resolve: { fs[$0] })
        #expect(try policy.check("/srv/repos/f40") == "/srv/repos/f40")
        #expect(try policy.check("https://mirror/f40/") == "https://mirror/f40/")
        for refused in ["/srv/repos/escape", "/srv/repos/../etc", "/srv/reposx", "/nonexistent"] {
            #expect(throws: ComposeError.invalid("Repository \"\(refused)\" is not under an allowed repository root or does not exist.")) {
                try policy.check(refused)
            }
        }
        #expect(throws: ComposeError.invalid("Repository \"f40\" must be an absolute path or an http(s) URL.")) { try policy.check("f40") }
    }
}
