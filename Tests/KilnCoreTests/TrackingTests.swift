import KilnCore
import Testing

/// Compose tracking's pure rules: productmd import, list query parsing, the permission matrix.
@Suite struct TrackingTests {
    func info(_ payload: String, header: String = #"{"type": "productmd.composeinfo", "version": "1.2"}"#) throws
        -> ComposeInfo
    {
        try ComposeInfo.parse(try JSONParser.parse(#"{"header": \#(header), "payload": \#(payload)}"#))
    }

    static let release =
        #""release": {"name": "Fedora", "short": "Fedora", "version": "Rawhide", "type": "ga", "internal": false}"#

    @Test(arguments: [
        (
            "nightly", 1, #"{"name": "Fedora", "short": "Fedora", "version": "Rawhide"}"#, "",
            "Fedora-Rawhide-20200517.n.1"
        ),
        (
            "production", 1, #"{"name": "Fedora", "short": "Fedora", "version": "Rawhide"}"#, "",
            "Fedora-Rawhide-20200517.1"
        ),
        ("test", 0, #"{"name": "F", "short": "F", "version": "8.10", "type": "GA"}"#, "", "F-8.10-20200517.t.0"),
        ("ci", 2, #"{"name": "F", "short": "F", "version": "1"}"#, "", "F-1-20200517.ci.2"),
        ("development", 3, #"{"name": "F", "short": "F", "version": "1"}"#, "", "F-1-20200517.d.3"),
        (
            "production", 1, #"{"name": "F", "short": "Fedora", "version": "Rawhide", "type": "updates"}"#, "",
            "Fedora-Rawhide-updates-20200517.1"
        ),
        (
            "production", 1, #"{"name": "F", "short": "Fedora", "version": "Rawhide", "is_layered": true}"#,
            #", "base_product": {"name": "B", "short": "BP", "version": "8", "type": "eus"}"#,
            "Fedora-Rawhide-BP-8-eus-20200517.1"
        ),
        (
            "nightly", 1, #"{"name": "F", "short": "Fedora", "version": "Rawhide", "is_layered": true}"#,
            #", "base_product": {"name": "base-product", "short": "bp", "version": "Rawhide"}"#,
            "Fedora-Rawhide-bp-Rawhide-20200517.n.1"
        ),
    ])
    func composeIDFollowsProductmd(type: String, respin: Int, release: String, extra: String, expected: String) throws {
        let parsed = try info(
            #"{"compose": {"id": "x-20200517.1", "date": "20200517", "type": "\#(type)", "respin": \#(respin)}, "#
                + #""release": \#(release)\#(extra), "variants": {}}"#
        )
        #expect(parsed.composeID().description == expected)
    }

    @Test(arguments: [
        (#"{"release": {}, "variants": {}}"#, #"missing key "compose""#),
        (
            #"{"compose": {"id": "a-20200517.1", "date": "2020-05-17", "type": "nightly", "respin": 1}, \#(release), "#
                + #""variants": {}}"#,
            "Compose: Field 'date' has invalid value: 2020-05-17. It must be YYYYMMDD"
        ),
        (
            #"{"compose": {"id": "a-20200517.1", "date": "20200517", "type": "weird", "respin": 1}, \#(release), "#
                + #""variants": {}}"#,
            "Compose: Field 'type' has invalid value: weird"
        ),
        (
            #"{"compose": {"id": "a-20200517.1", "date": "20200517", "type": "nightly", "respin": "1"}, \#(release), "#
                + #""variants": {}}"#,
            "Compose: Field 'respin' has invalid type: it must be an integer"
        ),
        (
            #"{"compose": {"id": "a-20200517.1", "date": "20200517", "type": "nightly", "respin": 1, "label": "#
                + #""Alpha-1"}, \#(release), "variants": {}}"#,
            "Label in unknown format: Alpha-1"
        ),
        (
            #"{"compose": {"id": "a-20200517.1", "date": "20200517", "type": "nightly", "respin": 1}, \#(release)}"#,
            #"missing key "variants""#
        ),
        (
            #"{"compose": {"id": "nodate", "date": "20200517", "type": "nightly", "respin": 1}, \#(release), "#
                + #""variants": {}}"#,
            "Compose: Field 'id' has invalid value: nodate"
        ),
        (
            #"{"compose": {"id": "a-20200517.1", "date": "20200517", "type": "nightly", "respin": 1}, "release": "#
                + #"{"name": "F", "short": "F", "version": "1.x"}, "variants": {}}"#,
            "Release: Field 'version' has invalid value: 1.x"
        ),
        (
            #"{"compose": {"id": "a-20200517.1", "date": "20200517", "type": "nightly", "respin": 1}, "release": "#
                + #"{"name": "F", "short": "F", "version": "1", "type": "foo"}, "variants": {}}"#,
            "Release: Field 'type' has invalid value: foo"
        ),
    ])
    func invalidComposeInfoIsRefusedWithProductmdWords(payload: String, reason: String) {
        #expect(throws: ComposeError.invalid("Cannot parse \"compose_info\": \(reason)")) { try info(payload) }
    }

    @Test func headerTypeIsCheckedFromVersionOneOne() {
        #expect(throws: ComposeError.invalid("Cannot parse \"compose_info\": Invalid metadata type")) {
            try info("{}", header: #"{"type": "productmd.rpms", "version": "1.2"}"#)
        }
    }

    @Test func finalIsKeptOnlyWithALabelAndRendered() throws {
        let labelled = try info(
            #"{"compose": {"id": "F-1-20200517.1", "date": "20200517", "type": "production", "respin": 1, "label": "#
                + #""RC-1.0", "final": true}, "release": {"name": "F", "short": "F", "version": "1"}, "variants": {}}"#
        )
        #expect(labelled.isFinal)
        #expect(labelled.json(includeVariants: false)["payload"]?["compose"]?["final"] == .bool(true))
        let plain = try info(
            #"{"compose": {"id": "F-1-20200517.1", "date": "20200517", "type": "production", "respin": 1, "final": "#
                + #"true}, "release": {"name": "F", "short": "F", "version": "1"}, "variants": {}}"#
        )
        #expect(!plain.isFinal)
        #expect(plain.json(includeVariants: false)["payload"]?["compose"]?["final"] == nil)
    }

    @Test func importBodyChecksInCTSOrder() {
        #expect(throws: ComposeError.invalid("No JSON POST data submitted")) {
            try ComposeImportRequest.parse(body: Array("{}".utf8))
        }
        #expect(throws: ComposeError.invalid("No \"compose_info\" field in JSON POST data.")) {
            try ComposeImportRequest.parse(body: Array(#"{"respin_of": "x"}"#.utf8))
        }
    }

    // MARK: list query

    @Test func filtersTakeTheLastSuffixAndParseBooleans() throws {
        let q = try TrackedComposeQuery.parse([
            ("id", "nope"), ("id_contains", "X"), ("final", "TRUE"), ("release_internal", "0"), ("respin", "3"),
            ("label", ""),
            ("builder_startswith", "pun"),
        ])
        #expect(
            q.filters == [
                .init(.id, .contains, "X"), .init(.respin, .exact, "3"), .init(.final, .exact, "true"),
                .init(.releaseInternal, .exact, "false"), .init(.builder, .startsWith, "pun"),
            ])
        #expect(throws: ComposeError.invalid("Invalid value for \"final\": maybe. It must be true, false, 1 or 0.")) {
            try TrackedComposeQuery.parse([("final", "maybe")])
        }
        #expect(throws: ComposeError.invalid("Invalid value for \"respin\": one. It must be an integer.")) {
            try TrackedComposeQuery.parse([("respin", "one")])
        }
    }

    @Test func tagsRepeatExcludeAndEmptyMeansUntagged() throws {
        #expect(
            try TrackedComposeQuery.parse([("tag", "a"), ("tag", "-b"), ("tag", "c")]).tagFilter
                == .tags(required: ["a", "c"], excluded: ["b"]))
        #expect(try TrackedComposeQuery.parse([("tag", "a"), ("tag", "")]).tagFilter == .untagged)
        #expect(try TrackedComposeQuery.parse([]).tagFilter == nil)
    }

    @Test func orderByRepeatsDefaultsAndRefusesUnknownKeys() throws {
        #expect(try TrackedComposeQuery.parse([]).order == TrackedComposeQuery.defaultOrder)
        #expect(try TrackedComposeQuery.parse([("order_by", "")]).order == TrackedComposeQuery.defaultOrder)
        #expect(
            try TrackedComposeQuery.parse([("order_by", "release_version"), ("order_by", "-respin")]).order
                == [.init(.releaseVersion, descending: false), .init(.respin, descending: true)])
        for bad in ["-", "owner", "-nope"] {
            #expect(throws: ComposeError.self) { try TrackedComposeQuery.parse([("order_by", bad)]) }
        }
        let q = try TrackedComposeQuery.parse([
            ("page", "0"), ("per_page", "-5"), ("date_before", "20200101"), ("date_after", ""),
        ])
        #expect(q.page == 1 && q.perPage == 20 && q.dateBefore == "20200101" && q.dateAfter == nil)
    }

    // MARK: permissions

    static var configuration: ServiceConfiguration {
        var c = ServiceConfiguration()
        c.admins = .init(groups: ["kiln-admins"])
        c.allowedBuilders = .init(users: ["pungi"], groups: ["releng"])
        c.oidcBaseNamespace = "https://ns/"
        return c
    }

    static func user(_ name: String, _ groups: [String] = [], scopes: [String]? = nil) -> Caller {
        .user(
            Identity(
                username: name, groups: groups, scopes: scopes.map { Set($0.map { "https://ns/" + $0 }) },
                method: scopes == nil ? .kerberos : .oidc))
    }

    static let tag = TrackingTag(
        id: 1, name: "qa", description: "d", documentation: "u", taggers: ["tina"], untaggers: [],
        taggerGroups: ["qe"], untaggerGroups: ["qe-leads"])

    @Test(arguments: [
        // caller, import, set_url, tag, untag, create tag
        (user("pungi"), true, true, false, false, false),
        (user("bob", ["releng"]), true, true, false, false, false),
        (user("ada", ["kiln-admins"]), false, true, true, true, true),
        (user("tina"), false, false, true, false, false),
        (user("quinn", ["qe"]), false, false, true, false, false),
        (user("lee", ["qe-leads"]), false, false, false, true, false),
        (user("eve", ["packagers"]), false, false, false, false, false),
        (Caller.noauth, true, true, true, true, true),
        (Caller.anonymous, false, false, false, false, false),
    ])
    func permissionMatrix(
        caller: Caller, canImport: Bool, canSetURL: Bool, canTag: Bool, canUntag: Bool, canCreateTag: Bool
    ) {
        let p = TrackingPermissions(configuration: Self.configuration)
        #expect(((try? p.require(scope: "new-compose", role: .allowedBuilders, caller)) != nil) == canImport)
        #expect(((try? p.requireSetURL(caller)) != nil) == canSetURL)
        #expect(p.may(.tagger, Self.tag, caller) == canTag)
        #expect(p.may(.untagger, Self.tag, caller) == canUntag)
        #expect(((try? p.require(scope: "new-tag", role: .admins, caller)) != nil) == canCreateTag)
    }

    @Test func refusalsUseCTSMessages() {
        let p = TrackingPermissions(configuration: Self.configuration)
        #expect(throws: ComposeError.forbidden("User eve is not in role allowed_builders.")) {
            try p.require(scope: "new-compose", role: .allowedBuilders, Self.user("eve"))
        }
        #expect(throws: ComposeError.forbidden("Request does not have required scope new-compose")) {
            try p.require(
                scope: "new-compose", role: .allowedBuilders, Self.user("bob", ["releng"], scopes: ["edit-compose"]))
        }
        #expect(throws: ComposeError.forbidden("User \"eve\" does not have \"untaggers\" permission for tag \"qa\".")) {
            try p.requireTagPermission(.untagger, Self.tag, Self.user("eve"))
        }
        #expect(throws: ComposeError.self) { try p.require(scope: "new-compose", role: nil, .anonymous) }
    }

    @Test func userinfoNeedsTheEditScopeForTagLists() {
        let p = TrackingPermissions(configuration: Self.configuration)
        let withScope = p.userInfo(Self.user("quinn", ["qe"], scopes: ["edit-compose"]), tags: [Self.tag])
        #expect(withScope["permissions"]?["is_tagger_of"] == ["qa"])
        let without = p.userInfo(Self.user("quinn", ["qe"], scopes: ["new-compose"]), tags: [Self.tag])
        #expect(without["permissions"]?["is_tagger_of"] == [])
        #expect(without["permissions"]?["can_create_compose"] == false)
    }

    @Test func repoFileForAVariant() {
        let c = TrackedCompose(
            key: 1, composeID: "F-1-20200517.1",
            info: ComposeInfo(
                date: "20200517", type: .production, respin: 1, release: .init(name: "F", short: "F", version: "1")),
            builder: "b", composeURL: "http://h/c/")
        #expect(
            c.repoFile(variant: "Server")
                == "[F-1-20200517.1-Server]\nname=Compose F-1-20200517.1 (RPMs) - Server\n"
                + "baseurl=http://h/c/compose/Server/$basearch/os/\nenabled=1\ngpgcheck=0\n"
        )
    }
}
