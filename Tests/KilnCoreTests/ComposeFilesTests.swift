import Testing

@testable import KilnCore

/// The files a generated compose carries: the .repo file and productmd metadata.
@Suite struct ComposeFilesTests {
    @Test func repoFileHasODCSsThreeSections() {
        let text = RepoFile.text(name: "odcs-42", resultRepoURL: "http://h/composes/odcs-42/compose/Temporary")
        #expect(
            text == """
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
        let metadata = ProductmdMetadata(
            composeID: id, label: "RC-1.0", releaseName: "odcs-42", arches: ["x86_64"],
            entries: [
                .init(
                    nevra: "foo-0:1.0-1.fc40.src", sourceNEVRA: "foo-0:1.0-1.fc40.src",
                    path: "Temporary/source/tree/Packages/f/foo-1.0-1.fc40.src.rpm",
                    sigkey: nil, category: .source, arch: "x86_64"),
                .init(
                    nevra: "foo-0:1.0-1.fc40.x86_64", sourceNEVRA: "foo-0:1.0-1.fc40.src",
                    path: "Temporary/x86_64/os/Packages/f/foo-1.0-1.fc40.x86_64.rpm",
                    sigkey: "a15b79cc", category: .binary, arch: "x86_64"),
            ])
        let info = metadata.composeInfo()
        #expect(info["header"] == ["type": "productmd.composeinfo", "version": "1.2"])
        #expect(
            info["payload"]?["compose"] == [
                "date": "20240425", "final": false, "id": "odcs-42-1-20240425.t.0", "label": "RC-1.0", "respin": 0,
                "type": "test",
            ])
        #expect(
            info["payload"]?["release"] == [
                "internal": false, "name": "odcs-42", "short": "odcs-42", "type": "ga", "version": "1",
            ])
        let variant = info["payload"]?["variants"]?["Temporary"]
        #expect(variant?["paths"]?["os_tree"] == ["x86_64": "Temporary/x86_64/os"])
        #expect(variant?["paths"]?["source_tree"] == ["x86_64": "Temporary/source/tree"])
        #expect(variant?["paths"]?["debug_packages"] == ["x86_64": "Temporary/x86_64/debug/tree/Packages"])
        #expect(metadata.composeInfo(withVariants: false)["payload"]?["variants"] == .object(JSONObject()))
        let group = metadata.rpms()["payload"]?["rpms"]?["Temporary"]?["x86_64"]?["foo-0:1.0-1.fc40.src"]
        #expect(
            group?["foo-0:1.0-1.fc40.x86_64"] == [
                "category": "binary", "path": "Temporary/x86_64/os/Packages/f/foo-1.0-1.fc40.x86_64.rpm",
                "sigkey": "a15b79cc",
            ])
        #expect(group?["foo-0:1.0-1.fc40.src"]?["sigkey"] == .null)
        // A label productmd would reject is left out rather than making the metadata unloadable.
        let unlabelled = ProductmdMetadata(
            composeID: id, label: "Alpha-1", releaseName: "odcs-42", arches: ["x86_64"], entries: [])
        #expect(unlabelled.composeInfo()["payload"]?["compose"]?["label"] == nil)
    }

    @Test func imagesAreListedAsProductmdImages() {
        let id = ProductmdMetadata.composeID(composeNumber: 42, composeType: "test", date: "20240425", respin: 0)
        var metadata = ProductmdMetadata(
            composeID: id, label: nil, releaseName: "odcs-42", arches: ["x86_64", "aarch64"], entries: [])
        #expect(metadata.volumeID(arch: "x86_64") == "odcs-42-1 Temporary.x86_64")
        #expect(
            metadata.isoPath(arch: "aarch64")
                == "Temporary/aarch64/iso/odcs-42-1-20240425.t.0-Temporary-aarch64-dvd1.iso")
        // A volume id holds 32 characters: a long release short name drops the variant, as Pungi's second format.
        let long = ProductmdMetadata(
            composeID: ProductmdMetadata.composeID(
                composeNumber: 12_345_678_901, composeType: "test", date: "20240425", respin: 0),
            label: nil, releaseName: "odcs-12345678901", arches: ["aarch64"], entries: [])
        #expect(long.volumeID(arch: "aarch64") == "odcs-12345678901-1 aarch64")
        #expect(metadata.composeInfo()["payload"]?["variants"]?["Temporary"]?["paths"]?["isos"] == nil)

        metadata.images = [
            ProductmdImage(
                path: metadata.isoPath(arch: "x86_64"), mtime: 1_700_000_000, size: 1_118_208,
                volumeID: metadata.volumeID(arch: "x86_64"), type: "dvd", format: "iso", arch: "x86_64",
                checksums: ["sha256": "ab"], implantMD5: "cd", bootable: false, subvariant: "Temporary")
        ]
        let document = metadata.imagesDocument()
        #expect(document["header"] == ["type": "productmd.images", "version": "1.2"])
        let image = document["payload"]?["images"]?["Temporary"]?["x86_64"]?.arrayValue?.first
        #expect(image?["path"] == "Temporary/x86_64/iso/odcs-42-1-20240425.t.0-Temporary-x86_64-dvd1.iso")
        #expect(image?["size"] == 1_118_208)
        #expect(image?["checksums"] == ["sha256": "ab"])
        #expect(image?["implant_md5"] == "cd")
        #expect(image?["bootable"] == false)
        #expect(image?["volume_id"] == "odcs-42-1 Temporary.x86_64")
        #expect(document["payload"]?["images"]?["Temporary"]?["aarch64"] == nil)
        #expect(
            metadata.composeInfo()["payload"]?["variants"]?["Temporary"]?["paths"]?["isos"]
                == ["x86_64": "Temporary/x86_64/iso"])
    }

    @Test func repositorySourcePolicy() throws {
        let fs: [String: String] = [
            "/srv/repos": "/srv/repos", "/srv/repos/f40": "/srv/repos/f40", "/srv/repos/escape": "/etc",
            "/srv/repos/../etc": "/etc", "/srv/reposx": "/srv/reposx",
        ]
        let policy = RepoSourcePolicy(
            roots: ["/srv/repos"], remote: try RemoteSourcePolicy(entries: ["mirror"]), resolve: { fs[$0] })
        #expect(try policy.check("/srv/repos/f40") == "/srv/repos/f40")
        #expect(try policy.check("https://mirror/f40/") == "https://mirror/f40/")
        let other = ComposeError.invalid("URL \"https://other/f40/\" is not an allowed remote source on this server.")
        #expect(throws: other) {
            try policy.check("https://other/f40/")
        }
        // Without allowed_remote_urls no URL is accepted.
        #expect(throws: ComposeError.self) {
            try RepoSourcePolicy(roots: [], resolve: { fs[$0] }).check("https://mirror/f40/")
        }
        for refused in ["/srv/repos/escape", "/srv/repos/../etc", "/srv/reposx", "/nonexistent"] {
            #expect(
                throws: ComposeError.invalid(
                    "Repository \"\(refused)\" is not under an allowed repository root or does not exist.")
            ) {
                try policy.check(refused)
            }
        }
        #expect(throws: ComposeError.invalid("Repository \"f40\" must be an absolute path or an http(s) URL.")) {
            try policy.check("f40")
        }
    }
}

/// Pulp composes.
@Suite struct PulpSelectionTests {
    static let baseos: JSON = [
        "id": "rhel-8-for-x86_64-baseos-rpms__8",
        "notes": [
            "relative_url": "content/dist/rhel8/8/x86_64/baseos/os", "content_set": "rhel-8-for-x86_64-baseos-rpms",
            "arch": "x86_64",
            "signatures": "199e2f91fd431d51,5a6340b3", "product_versions": "[\"8\"]",
            "include_in_download_service": "True",
        ],
    ]
    static let direct: JSON = [
        "id": "foo-1",
        "notes": [
            "relative_url": "content/foo/aarch64/os", "arch": "aarch64", "signatures": "", "product_versions": "[]",
            "include_in_download_service": "False",
        ],
    ]
    static let hidden: JSON = [
        "id": "foo-3",
        "notes": [
            "relative_url": "content/foo3", "arch": "s390x", "product_versions": "[]",
            "include_in_download_service": "",
        ],
    ]

    func select(_ tokens: [String], unpublished: Bool = false) throws -> PulpSelection {
        try PulpSelection.select(
            tokens: tokens, serverURL: "https://pulp.example.com/", searchResults: [Self.baseos],
            includeUnpublished: unpublished
        ) { id in
            ["foo-1": Self.direct, "foo-3": Self.hidden][id]
        }
    }

    @Test func searchBodyFollowsODCS() {
        #expect(
            PulpSelection.searchBody(tokens: ["a", "b"], includeUnpublished: false).serialized()
                == #"{"criteria": {"fields": ["notes", "id"], "filters": {"notes.content_set": {"$in": ["a", "b"]}, "#
                + #""notes.include_in_download_service": "True"}}}"#
        )
        #expect(
            !PulpSelection.searchBody(tokens: ["a"], includeUnpublished: true).serialized().contains(
                "include_in_download_service"))
    }

    @Test func contentSetsThenDirectIdsSortedWithUnionsOfArchesAndKeys() throws {
        let s = try select(["rhel-8-for-x86_64-baseos-rpms", "foo-1", "foo-2", "foo-3"])
        #expect(s.repositories.map(\.id) == ["foo-1", "rhel-8-for-x86_64-baseos-rpms__8"])
        #expect(s.missing == ["foo-2", "foo-3"]) // foo-3's include_in_download_service is empty, so unpublished
        #expect(s.found == ["foo-1", "rhel-8-for-x86_64-baseos-rpms"])
        #expect(s.arches == ["aarch64", "x86_64"])
        #expect(s.sigkeys == ["199e2f91fd431d51", "5a6340b3"])
        #expect(
            s.missingMessage(tokens: ["rhel-8-for-x86_64-baseos-rpms", "foo-1", "foo-2", "foo-3"])
                == "Failed to find all the source(s) rhel-8-for-x86_64-baseos-rpms, foo-1, foo-2, foo-3 in Pulp, found "
                + "only foo-1, rhel-8-for-x86_64-baseos-rpms"
        )
        #expect(try select(["foo-3"], unpublished: true).missing.isEmpty)
    }

    @Test func repoFileSectionsAndCompatibleArch() throws {
        let s = try select(["rhel-8-for-x86_64-baseos-rpms", "foo-1"])
        #expect(
            s.repoFile(useOnlyCompatibleArch: false) == """

                [foo-1]
                name=foo-1
                baseurl=https://pulp.example.com/content/foo/aarch64/os
                enabled=1
                gpgcheck=0

                [rhel-8-for-x86_64-baseos-rpms__8]
                name=rhel-8-for-x86_64-baseos-rpms__8
                baseurl=https://pulp.example.com/content/dist/rhel8/8/x86_64/baseos/os
                enabled=1
                gpgcheck=0

                """)
        let compatible = s.repoFile(useOnlyCompatibleArch: true)
        #expect(
            compatible.contains(
                "baseurl=https://pulp.example.com/content/dist/rhel8/8/$basearch/baseos/os\nenabled=1\ngpgcheck=0\n"
                    + "skip_if_unavailable=1\n"
            ))
    }

    @Test func repositoryWithoutProductVersionsIsAnError() {
        #expect(throws: ComposeError.invalid("Pulp repository x has no notes.product_versions")) {
            try PulpSelection.select(
                tokens: ["cs"], serverURL: "https://p",
                searchResults: [["id": "x", "notes": ["relative_url": "r", "content_set": "cs"]]],
                includeUnpublished: false
            ) { _ in nil }
        }
    }
}

@Suite struct PungiComposeSourceTests {
    @Test func readsBuildsPackagesArchesAndKeysOfOneVariant() throws {
        let rpms: JSON = [
            "header": ["type": "productmd.rpms", "version": "1.2"],
            "payload": [
                "rpms": [
                    "Server": [
                        "x86_64": [
                            "bash-0:5.2.26-3.fc40.src": [
                                "bash-0:5.2.26-3.fc40.src": ["category": "source", "path": "p", "sigkey": "a15b79cc"],
                                "bash-0:5.2.26-3.fc40.x86_64": [
                                    "category": "binary", "path": "p", "sigkey": "a15b79cc",
                                ],
                                "bash-devel-0:5.2.26-3.fc40.x86_64": [
                                    "category": "binary", "path": "p", "sigkey": nil,
                                ],
                            ]
                        ],
                        "aarch64": [
                            "kiln-tools-1:3.0~rc1-2.src": [
                                "kiln-tools-1:3.0~rc1-2.aarch64": [
                                    "category": "binary", "path": "p", "sigkey": "a15b79cc",
                                ]
                            ]
                        ],
                    ], "Client": [:],
                ]
            ],
        ]
        let source = try PungiComposeSource.parse(rpmsJSON: rpms, variant: "Server")
        #expect(source.builds == ["bash-5.2.26-3.fc40", "kiln-tools-3.0~rc1-2"])
        #expect(source.packages == ["bash", "bash-devel", "kiln-tools"])
        #expect(source.arches == ["aarch64", "x86_64"])
        #expect(source.sigkeys == ["a15b79cc", ""])
        #expect(throws: ComposeError.invalid("The compose has no variant Everything")) {
            try PungiComposeSource.parse(rpmsJSON: rpms, variant: "Everything")
        }
        let location = PungiComposeSource.metadataURL(variantURL: "https://h/compose/Fedora-40-1/compose/Server/")
        #expect(
            location?.url == "https://h/compose/Fedora-40-1/compose/metadata/rpms.json" && location?.variant == "Server"
        )
    }
}
