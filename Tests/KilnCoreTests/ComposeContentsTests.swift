import Testing

@testable import KilnCore

/// productmd rpms.json parsing, NEVRA and N-V-R parsing, and the compose list's content filters.
@Suite struct ComposeContentsTests {
    static let document = """
        {"header": {"type": "productmd.rpms", "version": "1.2"},
         "payload": {"compose": {"date": "20240425", "id": "odcs-42-1-20240425.t.0", "respin": 0, "type": "test"},
          "rpms": {"Server": {"x86_64": {
            "foo-0:1.0-1.fc40.src": {
              "foo-0:1.0-1.fc40.src": {"category": "source", "path":
                  "Server/source/tree/Packages/f/foo-1.0-1.fc40.src.rpm", "sigkey": "a15b79cc"},
              "foo-0:1.0-1.fc40.x86_64": {"category": "binary", "path":
                  "Server/x86_64/os/Packages/f/foo-1.0-1.fc40.x86_64.rpm", "sigkey": "a15b79cc"},
              "foo-debuginfo-0:1.0-1.fc40.x86_64": {"category": "debug", "path":
                  "Server/x86_64/debug/tree/Packages/f/foo-debuginfo-1.0-1.fc40.x86_64.rpm", "sigkey": null}},
            "python-dateutil-1:2.8.2-12.fc40.src": {
              "python3-dateutil-1:2.8.2-12.fc40.noarch": {"category": "binary", "path":
                  "Server/x86_64/os/Packages/p/python3-dateutil.rpm"}}},
           "aarch64": {"foo-0:1.0-1.fc40.src": {"foo-0:1.0-1.fc40.aarch64": {"category": "binary", "path": null,
               "sigkey": null}}}}}}}
        """

    @Test func parsesEveryVariantArchAndRPMWithItsSourceCategorySigkeyAndPath() throws {
        let contents = try ComposeContents.parse(bytes: Array(Self.document.utf8))
        #expect(contents.composeID == "odcs-42-1-20240425.t.0")
        #expect(contents.entries.count == 5)
        let byNEVRA = Dictionary(uniqueKeysWithValues: contents.entries.map { ("\($0.arch)/\($0.rpm)", $0) })
        let debug = try #require(byNEVRA["x86_64/foo-debuginfo-0:1.0-1.fc40.x86_64"])
        #expect(debug.category == .debug && debug.sigkey == nil && debug.variant == "Server")
        #expect(debug.sourceRPM == RPMNEVRA(name: "foo", version: "1.0", release: "1.fc40", arch: "src"))
        let dateutil = try #require(byNEVRA["x86_64/python3-dateutil-1:2.8.2-12.fc40.noarch"])
        #expect(dateutil.rpm.epoch == 1 && dateutil.rpm.name == "python3-dateutil" && dateutil.sigkey == nil)
        #expect(
            dateutil.sourceRPM.name == "python-dateutil"
                && dateutil.path == "Server/x86_64/os/Packages/p/python3-dateutil.rpm")
        let source = try #require(byNEVRA["x86_64/foo-0:1.0-1.fc40.src"])
        #expect(source.category == .source && source.sigkey == "a15b79cc")
        #expect(byNEVRA["aarch64/foo-0:1.0-1.fc40.aarch64"]?.path == nil)
    }

    static let refused: [(String, String)] = [
        ("[]", "no \"header\" object."),
        (
            #"{"header": {"type": "productmd.images", "version": "1.2"}, "payload": {"rpms": {}}}"#,
            "header type must be \"productmd.rpms\"."
        ),
        (
            #"{"header": {"type": "productmd.rpms", "version": 1.2}, "payload": {"rpms": {}}}"#,
            "header version must be a string like \"1.2\"."
        ),
        (#"{"header": {"type": "productmd.rpms", "version": "1.2"}}"#, "no \"payload\" object."),
        (
            #"{"header": {"type": "productmd.rpms", "version": "1.2"}, "payload": {"rpms": []}}"#,
            "no \"payload.rpms\" object."
        ),
        (
            #"{"header": {"type": "productmd.rpms", "version": "1.2"}, "payload": {"rpms": {"S": {"src": {}}}}}"#,
            "S lists arch \"src\"; source RPMs are listed under the binary arches."
        ),
        (
            #"{"header": {"type": "productmd.rpms", "version": "1.2"}, "payload": {"rpms": {"S": {"x86_64": "#
                + #"{"nonsense": {}}}}}}"#,
            "\"nonsense\" is not a name-epoch:version-release.arch."
        ),
        (
            #"{"header": {"type": "productmd.rpms", "version": "1.2"}, "payload": {"rpms": {"S": {"x86_64": "#
                + #"{"a-0:1-1.src": {"a-0:1-1.x86_64": {"category": "weird"}}}}}}}"#,
            "a-0:1-1.x86_64 has no category binary, debug or source."
        ),
        (
            #"{"header": {"type": "productmd.rpms", "version": "1.2"}, "payload": {"rpms": {"S": {"x86_64": "#
                + #"{"a-0:1-1.src": {"a-0:1-1.x86_64": {"category": "source"}}}}}}}"#,
            "a-0:1-1.x86_64 has category source, which does not match its arch."
        ),
        (
            #"{"header": {"type": "productmd.rpms", "version": "1.2"}, "payload": {"rpms": {"S": {"x86_64": "#
                + #"{"a-0:1-1.src": {"a-0:1-1.x86_64": {"category": "binary", "sigkey": 5}}}}}}}"#,
            "a-0:1-1.x86_64 has a sigkey that is neither a string nor null."
        ),
        ("{\"header\": ", "Failed to decode JSON object"),
    ]

    @Test(arguments: refused)
    func refusesMalformedDocumentsWithAMessageNamingTheFault(_ c: (String, String)) {
        #expect {
            _ = try ComposeContents.parse(bytes: Array(c.0.utf8))
        } throws: { error in
            guard let e = error as? ComposeError else { return false }
            return e.code == .invalid && e.message.hasPrefix("Cannot parse \"rpms\": ") && e.message.contains(c.1)
        }
    }

    @Test func aRepeatedRPMInOneTreeIsRecordedOnce() throws {
        let doc =
            #"{"header": {"type": "productmd.rpms", "version": "1.2"}, "payload": {"rpms": {"S": {"x86_64": {"#
            + #""a-0:1-1.src": {"a-0:1-1.noarch": {"category": "binary"}}, "b-0:1-1.src": {"a-0:1-1.noarch": "#
            + #"{"category": "binary"}}}}}}}"#
        let contents = try ComposeContents.parse(bytes: Array(doc.utf8))
        #expect(contents.entries.map(\.rpm.description) == ["a-0:1-1.noarch"])
        #expect(contents.composeID == nil)
    }

    static let nevras: [(String, RPMNEVRA?)] = [
        (
            "bash-0:5.2.26-3.fc40.x86_64",
            RPMNEVRA(name: "bash", epoch: 0, version: "5.2.26", release: "3.fc40", arch: "x86_64")
        ),
        (
            "python3-dateutil-1:2.8.2-12.fc40.noarch",
            RPMNEVRA(name: "python3-dateutil", epoch: 1, version: "2.8.2", release: "12.fc40", arch: "noarch")
        ),
        ("foo-1.0-1.src", RPMNEVRA(name: "foo", epoch: 0, version: "1.0", release: "1", arch: "src")),
        (
            "vim-2:9.1~rc1^git2-1.x86_64",
            RPMNEVRA(name: "vim", epoch: 2, version: "9.1~rc1^git2", release: "1", arch: "x86_64")
        ),
        ("foo-1.0.x86_64", nil), ("foo-1.0-1", nil), ("-1.0-1.x86_64", nil), ("foo-x:1.0-1.x86_64", nil),
        ("foo-1.0-1.", nil),
    ]

    @Test(arguments: nevras)
    func nevraParsing(_ c: (String, RPMNEVRA?)) {
        #expect(RPMNEVRA(parsing: c.0) == c.1, "\(c.0)")
        if let parsed = c.1 { #expect(RPMNEVRA(parsing: parsed.description) == parsed) }
    }

    @Test func nvrFilterParsing() throws {
        var q = try TrackedComposeQuery.parse([("rpm_nvr", "python3-dateutil-2.8.2-12.fc40"), ("rpm_name", "bash")])
        #expect(q.rpmNVR == RPMNVR(name: "python3-dateutil", version: "2.8.2", release: "12.fc40"))
        #expect(q.rpmName == "bash")
        q = try TrackedComposeQuery.parse([("rpm_nvr", "vim-2:9.1-1.fc40"), ("rpm_name", "")])
        #expect(q.rpmNVR == RPMNVR(name: "vim", epoch: 2, version: "9.1", release: "1.fc40") && q.rpmName == nil)
        #expect(
            throws: ComposeError.invalid(
                "Invalid value for \"rpm_nvr\": bash-5.2. It must be name-version-release, e.g. bash-5.2.26-3.fc40.")
        ) {
            try TrackedComposeQuery.parse([("rpm_nvr", "bash-5.2")])
        }
    }

    @Test func contentsQueryParsing() throws {
        let q = try ComposeContentsQuery.parse([
            ("variant", "Server"), ("arch", "x86_64"), ("name", "bash"), ("category", "debug"),
            ("per_page", "5000"), ("page", "-3"),
        ])
        #expect(
            q.variant == "Server" && q.arch == "x86_64" && q.name == "bash" && q.category == .debug && q.perPage == 1000
                && q.page == 1)
        #expect(
            throws: ComposeError.invalid("Invalid value for \"category\": rpm. It must be binary, debug or source.")
        ) {
            try ComposeContentsQuery.parse([("category", "rpm")])
        }
    }
}
