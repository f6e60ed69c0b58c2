import KilnCore
import Testing

/// `kiln track-locations`' pure parts: compose roots (directory ↔ URL) and the reconciliation plan.
@Suite struct LocationTrackingTests {
    static let kiln = ComposeRoot(path: "/srv/kiln/composes/", url: "https://kiln.example/composes/")
    static let pungi = ComposeRoot(path: "/mnt/koji/compose", url: "https://kojipkgs.example/compose", depth: 2)
    static let local = ComposeRoot(path: "/data/trees")

    @Test(
        arguments: [
            (kiln, "/srv/kiln/composes/odcs-7", "https://kiln.example/composes/odcs-7"),
            (kiln, "/srv/kiln/composes/odcs-7/", "https://kiln.example/composes/odcs-7"),
            (kiln, "/srv/kiln/composes", "https://kiln.example/composes"),
            (kiln, "/srv/kiln/composes-old/odcs-7", nil),
            (kiln, "/srv/kiln", nil),
            (
                pungi, "/mnt/koji/compose/rawhide/Fedora-Rawhide-20260517.n.0",
                "https://kojipkgs.example/compose/rawhide/Fedora-Rawhide-20260517.n.0"
            ),
            (local, "/data/trees/F-1-20260517.0", "file:///data/trees/F-1-20260517.0"),
            (ComposeRoot(path: "/"), "/x/y", "file:///x/y"),
        ] as [(ComposeRoot, String, String?)])
    func directoryToURL(root: ComposeRoot, directory: String, url: String?) {
        #expect(root.url(forDirectory: directory) == url)
    }

    @Test(
        arguments: [
            (kiln, "https://kiln.example/composes/odcs-7", "/srv/kiln/composes/odcs-7"),
            (kiln, "https://kiln.example/composes/odcs-7/", "/srv/kiln/composes/odcs-7"),
            (kiln, "https://kiln.example/composes-old/odcs-7", nil),
            (kiln, "http://kiln.example/composes/odcs-7", nil),
            (kiln, "https://kiln.example/composes/../etc", nil),
            (kiln, "https://kiln.example/composes/a//b", nil),
            (kiln, "https://kiln.example/composes/./odcs-7", nil),
            (kiln, "file:///srv/kiln/composes/odcs-7", "/srv/kiln/composes/odcs-7"),
            (local, "file:///data/trees/F-1-20260517.0", "/data/trees/F-1-20260517.0"),
            (local, "file:///data/treesX/F", nil),
            (local, "https://kiln.example/composes/odcs-7", nil),
            (pungi, "https://kojipkgs.example/compose/rawhide/F-1", "/mnt/koji/compose/rawhide/F-1"),
        ] as [(ComposeRoot, String, String?)])
    func urlToDirectory(root: ComposeRoot, url: String, directory: String?) {
        #expect(root.directory(forURL: url) == directory)
    }

    @Test func targetDirComesFirstAndAConfiguredEntryForItOnlyChangesItsOptions() {
        let locations = ComposeLocations(
            targetDir: "/srv/kiln/composes", targetDirURL: "https://kiln.example/composes/",
            configured: [Self.pungi, ComposeRoot(path: "/srv/kiln/composes", depth: 3, mountPoint: true)])
        #expect(
            locations.roots == [
                ComposeRoot(
                    path: "/srv/kiln/composes", url: "https://kiln.example/composes", depth: 3, mountPoint: true),
                Self.pungi,
            ])
    }

    @Test func theMostSpecificRootWinsBothWays() {
        let outer = ComposeRoot(path: "/mnt/koji", url: "https://k.example")
        let inner = ComposeRoot(path: "/mnt/koji/compose", url: "https://compose.example")
        let locations = ComposeLocations(roots: [outer, inner])
        #expect(locations.url(forDirectory: "/mnt/koji/compose/F-1") == "https://compose.example/F-1")
        #expect(locations.url(forDirectory: "/mnt/koji/other/F-1") == "https://k.example/other/F-1")
        #expect(locations.locate(url: "https://compose.example/F-1")?.directory == "/mnt/koji/compose/F-1")
        #expect(locations.locate(url: "https://k.example/compose/F-1")?.root == outer)
        #expect(locations.locate(url: "file:///mnt/koji/compose/F-1")?.root == inner)
        #expect(locations.locate(url: "https://elsewhere.example/F-1") == nil)
        #expect(locations.url(forDirectory: "/srv/F-1") == nil)
    }

    // MARK: reconciliation

    static func info(
        _ short: String, date: String = "20260517", type: ComposeID.ComposeType = .nightly, respin: Int = 0
    ) -> ComposeInfo {
        ComposeInfo(date: date, type: type, respin: respin, release: .init(name: short, short: short, version: "1"))
    }

    static func tracked(_ info: ComposeInfo, url: String?, removed: Bool = false) -> LocationReconciliation.Tracked {
        .init(composeID: info.composeID().description, url: url, releaseKey: .init(info), isRemoved: removed)
    }

    static let locations = ComposeLocations(roots: [kiln, local])
    static let present: [String: LocationReconciliation.RootState] = [
        "/srv/kiln/composes": .present, "/data/trees": .present,
    ]

    func plan(
        _ disk: [String: LocationReconciliation.DiskEntry], _ tracked: [LocationReconciliation.Tracked],
        roots: [String: LocationReconciliation.RootState] = Self.present
    ) -> LocationReconciliation {
        LocationReconciliation.plan(locations: Self.locations, roots: roots, disk: disk, tracked: tracked)
    }

    @Test func aComposeAtItsRecordedPlaceIsUnchanged() {
        let a = Self.info("A")
        let p = plan(
            ["/srv/kiln/composes/odcs-1": .compose(a)], [Self.tracked(a, url: "https://kiln.example/composes/odcs-1")])
        #expect(p.actions == [.unchanged(composeID: "A-1-20260517.n.0")])
        #expect(p.errors.isEmpty)
    }

    @Test func aComposeFoundElsewhereIsMovedThereWithTheRootsURL() {
        let a = Self.info("A")
        let p = plan(
            ["/data/trees/A-1-20260517.n.0": .compose(a)],
            [Self.tracked(a, url: "https://kiln.example/composes/odcs-1")])
        #expect(
            p.actions == [
                .move(
                    composeID: "A-1-20260517.n.0", from: "https://kiln.example/composes/odcs-1",
                    to: "file:///data/trees/A-1-20260517.n.0",
                    directory: "/data/trees/A-1-20260517.n.0", wasRemoved: false)
            ])
        #expect(p.errors.isEmpty)
    }

    @Test func aComposeWithoutAURLFoundOnDiskGetsOne() {
        let a = Self.info("A")
        let p = plan(["/srv/kiln/composes/odcs-1": .compose(a)], [Self.tracked(a, url: nil)])
        #expect(
            p.actions == [
                .move(
                    composeID: "A-1-20260517.n.0", from: nil, to: "https://kiln.example/composes/odcs-1",
                    directory: "/srv/kiln/composes/odcs-1",
                    wasRemoved: false)
            ])
    }

    @Test func aGoneComposeIsRemovedOnceAndRestoredWhenItComesBack() {
        let a = Self.info("A")
        let url = "https://kiln.example/composes/odcs-1"
        #expect(
            plan([:], [Self.tracked(a, url: url)]).actions == [
                .remove(composeID: "A-1-20260517.n.0", url: url, directory: "/srv/kiln/composes/odcs-1")
            ])
        #expect(
            plan([:], [Self.tracked(a, url: url, removed: true)]).actions == [.unchanged(composeID: "A-1-20260517.n.0")]
        )
        #expect(
            plan(["/srv/kiln/composes/odcs-1": .compose(a)], [Self.tracked(a, url: url, removed: true)]).actions == [
                .restore(composeID: "A-1-20260517.n.0", url: url, directory: "/srv/kiln/composes/odcs-1")
            ])
    }

    @Test func anotherComposeAtTheRecordedPlaceMeansTheTrackedOneIsGone() {
        let a = Self.info("A")
        let b = Self.info("B")
        let url = "https://kiln.example/composes/odcs-1"
        let p = plan(["/srv/kiln/composes/odcs-1": .compose(b)], [Self.tracked(a, url: url)])
        #expect(
            p.actions == [
                .remove(composeID: "A-1-20260517.n.0", url: url, directory: "/srv/kiln/composes/odcs-1"),
                .importCompose(
                    composeID: "B-1-20260517.n.0", directory: "/srv/kiln/composes/odcs-1", url: url, info: b),
            ])
    }

    @Test func nothingUnderAMissingRootIsJudgedAndTheRootIsAnError() {
        let a = Self.info("A")
        let roots: [String: LocationReconciliation.RootState] = [
            "/srv/kiln/composes": .missing("No such file or directory"), "/data/trees": .present,
        ]
        let p = plan([:], [Self.tracked(a, url: "https://kiln.example/composes/odcs-1")], roots: roots)
        #expect(
            p.actions == [.skipped(composeID: "A-1-20260517.n.0", reason: "compose root /srv/kiln/composes is missing")]
        )
        #expect(p.errors == ["compose root /srv/kiln/composes: No such file or directory"])
        // Found under another root meanwhile: still not judged (the missing root may hold the original).
        let moved = plan(
            ["/data/trees/A": .compose(a)], [Self.tracked(a, url: "https://kiln.example/composes/odcs-1")], roots: roots
        )
        #expect(
            moved.actions == [
                .skipped(composeID: "A-1-20260517.n.0", reason: "compose root /srv/kiln/composes is missing")
            ])
    }

    @Test func composesOutsideEveryRootAreNotJudged() {
        let a = Self.info("A")
        let b = Self.info("B")
        let p = plan([:], [Self.tracked(a, url: "https://elsewhere.example/A"), Self.tracked(b, url: nil)])
        #expect(p.actions == [.unmanaged(composeID: "A-1-20260517.n.0"), .unmanaged(composeID: "B-1-20260517.n.0")])
        #expect(p.errors.isEmpty)
    }

    @Test func anUnreadableDirectoryIsAnErrorAndItsComposeIsNotJudged() {
        let a = Self.info("A")
        let p = plan(
            ["/srv/kiln/composes/odcs-1": .unreadable("Permission denied")],
            [Self.tracked(a, url: "https://kiln.example/composes/odcs-1")])
        #expect(
            p.actions == [.skipped(composeID: "A-1-20260517.n.0", reason: "/srv/kiln/composes/odcs-1 cannot be read")])
        #expect(p.errors == ["/srv/kiln/composes/odcs-1: Permission denied"])
    }

    @Test func untrackedComposesAreImportedUnlessTheirIdOrRespinIsTaken() {
        let tracked = Self.info("A", type: .nightly, respin: 1)
        let sameRespin = Self.info("A", type: .production, respin: 1)
        let fresh = Self.info("C")
        let twice = Self.info("D")
        let p = plan(
            [
                "/srv/kiln/composes/odcs-1": .compose(tracked),
                "/data/trees/A-prod": .compose(sameRespin),
                "/data/trees/C": .compose(fresh),
                "/data/trees/D1": .compose(twice),
                "/data/trees/D2": .compose(twice),
            ], [Self.tracked(tracked, url: "https://kiln.example/composes/odcs-1")])
        #expect(
            p.actions == [
                .unchanged(composeID: "A-1-20260517.n.1"),
                .importCompose(
                    composeID: "C-1-20260517.n.0", directory: "/data/trees/C", url: "file:///data/trees/C",
                    info: fresh),
            ])
        #expect(
            p.errors == [
                "id collision: /data/trees/A-prod (A-1-20260517.1) has the release, date and respin of "
                    + "A-1-20260517.n.1; not imported",
                "id collision: untracked D-1-20260517.n.0 is at /data/trees/D1, /data/trees/D2; not imported",
            ])
    }

    @Test func twoCopiesOfATrackedComposeAreACollision() {
        let a = Self.info("A")
        let url = "https://kiln.example/composes/odcs-1"
        let stay = plan(
            ["/srv/kiln/composes/odcs-1": .compose(a), "/data/trees/A": .compose(a)], [Self.tracked(a, url: url)])
        #expect(stay.actions == [.unchanged(composeID: "A-1-20260517.n.0")])
        #expect(
            stay.errors == ["id collision: A-1-20260517.n.0 is at /srv/kiln/composes/odcs-1 and also at /data/trees/A"])
        let gone = plan(["/data/trees/A1": .compose(a), "/data/trees/A2": .compose(a)], [Self.tracked(a, url: url)])
        #expect(gone.actions == [.skipped(composeID: "A-1-20260517.n.0", reason: "found at several places")])
        #expect(
            gone.errors == [
                "id collision: A-1-20260517.n.0 left /srv/kiln/composes/odcs-1 and is at /data/trees/A1, /data/trees/A2"
            ])
    }

    @Test func aRemovedComposeFoundElsewhereMovesAndComesBack() {
        let a = Self.info("A")
        let p = plan(
            ["/data/trees/A": .compose(a)],
            [Self.tracked(a, url: "https://kiln.example/composes/odcs-1", removed: true)])
        #expect(
            p.actions == [
                .move(
                    composeID: "A-1-20260517.n.0", from: "https://kiln.example/composes/odcs-1",
                    to: "file:///data/trees/A", directory: "/data/trees/A",
                    wasRemoved: true)
            ])
    }

    @Test func aFileURLUnderARootWithAnHTTPPrefixIsRewritten() {
        let a = Self.info("A")
        let p = plan(
            ["/srv/kiln/composes/odcs-1": .compose(a)], [Self.tracked(a, url: "file:///srv/kiln/composes/odcs-1")])
        #expect(
            p.actions == [
                .move(
                    composeID: "A-1-20260517.n.0", from: "file:///srv/kiln/composes/odcs-1",
                    to: "https://kiln.example/composes/odcs-1",
                    directory: "/srv/kiln/composes/odcs-1", wasRemoved: false)
            ])
    }

    @Test func applyingThePlanLeavesNothingToDo() {
        // What the database looks like after a plan is applied gives a plan of only `unchanged`.
        let a = Self.info("A")
        let b = Self.info("B")
        let c = Self.info("C")
        let disk: [String: LocationReconciliation.DiskEntry] = [
            "/data/trees/A": .compose(a), "/data/trees/C": .compose(c),
        ]
        let before = [
            Self.tracked(a, url: "https://kiln.example/composes/odcs-1"),
            Self.tracked(b, url: "https://kiln.example/composes/odcs-2"),
        ]
        var after: [LocationReconciliation.Tracked] = []
        for action in plan(disk, before).actions {
            switch action {
            case .move(let id, _, let to, _, _):
                after.append(.init(composeID: id, url: to, releaseKey: .init(a), isRemoved: false))
            case .remove(let id, let url, _):
                after.append(.init(composeID: id, url: url, releaseKey: .init(b), isRemoved: true))
            case .importCompose(let id, _, let url, let info):
                after.append(.init(composeID: id, url: url, releaseKey: .init(info), isRemoved: false))
            default: Issue.record("unexpected \(action)")
            }
        }
        #expect(after.count == 3)
        let again = plan(disk, after)
        #expect(again.actions.allSatisfy { if case .unchanged = $0 { true } else { false } })
        #expect(again.actions.count == 3)
        #expect(again.errors.isEmpty)
    }
}

/// `kiln promote`'s rules: configuration, due times, the candidate query and the plan.
@Suite struct PromotionRuleTests {
    func rule(_ text: String) throws -> PromotionRule {
        try PromotionRule(config: try JSONParser.parse(text).objectValue!)
    }

    @Test func aMinimalRuleExcludesRemovedAndRunsEveryTime() throws {
        let r = try rule(#"{"name": "n", "tag": "nightly", "release_short": "Fedora"}"#)
        #expect(r == PromotionRule(name: "n", tag: "nightly", releaseShort: "Fedora"))
        #expect(r.excludedTags == ["removed"])
        #expect(r.minIntervalSeconds == 0)
        #expect(r.isDue(lastRun: Timestamp(secondsSinceEpoch: 100), now: Timestamp(secondsSinceEpoch: 100)))
    }

    @Test func aFullRule() throws {
        let r = try rule(
            #"""
            {"name": "rawhide-nightly", "tag": "nightly", "release_short": "Fedora", "release_version": "Rawhide",
             "compose_type": "nightly", "required_tags": ["qa-passed", "qa-passed"], "excluded_tags": ["removed",
                 "periodic"],
             "min_interval": "20h", "exclusive": true}
            """#)
        #expect(
            r
                == PromotionRule(
                    name: "rawhide-nightly", tag: "nightly", releaseShort: "Fedora", releaseVersion: "Rawhide",
                    composeType: .nightly,
                    requiredTags: ["qa-passed"], excludedTags: ["removed", "periodic"], minIntervalSeconds: 72000,
                    exclusive: true))
    }

    @Test(arguments: [
        (#"{"tag": "t", "release_short": "F"}"#, #"needs a "name""#),
        (#"{"name": "n", "release_short": "F"}"#, #"needs a "tag""#),
        (#"{"name": "n", "tag": "t"}"#, #"needs a "release_short""#),
        (#"{"name": "", "tag": "t", "release_short": "F"}"#, #""name" must be a non-empty string"#),
        (#"{"name": "n", "tag": "t", "release_short": "F", "colour": "red"}"#, "unknown key colour"),
        (
            #"{"name": "n", "tag": "t", "release_short": "F", "compose_type": "weekly"}"#,
            #""compose_type" must be one of test, ci, nightly, production, development"#
        ),
        (
            #"{"name": "n", "tag": "t", "release_short": "F", "min_interval": "soon"}"#,
            #""min_interval" must be seconds or a duration such as "20h", "1d" or "30m""#
        ),
        (
            #"{"name": "n", "tag": "t", "release_short": "F", "min_interval": -5}"#,
            #""min_interval" must be seconds or a duration such as "20h", "1d" or "30m""#
        ),
        (
            #"{"name": "n", "tag": "t", "release_short": "F", "exclusive": "yes"}"#,
            #""exclusive" must be true or false"#
        ),
        (
            #"{"name": "n", "tag": "t", "release_short": "F", "required_tags": "qa"}"#,
            #""required_tags" must be a list of tag names"#
        ),
        (
            #"{"name": "n", "tag": "t", "release_short": "F", "required_tags": ["t"]}"#,
            #""tag" t cannot also be required"#
        ),
        (#"{"name": "n", "tag": "removed", "release_short": "F"}"#, #""tag" removed cannot also be excluded"#),
        (
            #"{"name": "n", "tag": "t", "release_short": "F", "required_tags": ["qa"], "excluded_tags": ["qa"]}"#,
            "tag qa is both required and excluded"
        ),
    ])
    func invalidRulesSayWhy(text: String, reason: String) {
        #expect(throws: PromotionRule.Invalid(reason: reason)) { try rule(text) }
    }

    @Test(
        arguments: [("90", 90), ("90s", 90), ("30m", 1800), ("20h", 72000), ("1d", 86400), ("0", 0)]
            as [(String, Int64)])
    func durations(text: String, seconds: Int64) {
        #expect(PromotionRule.seconds(parsing: text) == seconds)
    }

    @Test(arguments: ["", "h", "-1h", "1w", "1.5h", "99999999999999999d"])
    func badDurations(text: String) {
        #expect(PromotionRule.seconds(parsing: text) == nil)
    }

    @Test func aRuleIsDueWhenItsIntervalHasPassedSinceItLastRan() {
        let r = PromotionRule(name: "n", tag: "t", releaseShort: "F", minIntervalSeconds: 3600)
        let last = Timestamp(secondsSinceEpoch: 1_000_000)
        #expect(r.isDue(lastRun: nil, now: last))
        #expect(!r.isDue(lastRun: last, now: last.adding(seconds: 3599)))
        #expect(r.isDue(lastRun: last, now: last.adding(seconds: 3600)))
    }

    @Test func theCandidateQueryIsTheNewestOfTheReleaseWithTheTags() {
        let r = PromotionRule(
            name: "n", tag: "nightly", releaseShort: "Fedora", releaseVersion: "Rawhide", composeType: .nightly,
            requiredTags: ["qa-passed"])
        let q = r.candidateQuery
        #expect(
            q.filters == [
                .init(.releaseShort, .exact, "Fedora"), .init(.releaseVersion, .exact, "Rawhide"),
                .init(.type, .exact, "nightly"),
            ])
        #expect(q.tagFilter == .tags(required: ["qa-passed"], excluded: ["removed"]))
        #expect(q.order == [.init(.date, descending: true), .init(.respin, descending: true)])
        #expect(q.perPage == 1)
        let holders = r.holdersQuery(page: 2, perPage: 50)
        #expect(holders.tagFilter == .tags(required: ["nightly"], excluded: []))
        #expect(holders.filters == q.filters)
        #expect(holders.page == 2 && holders.perPage == 50)
    }

    func compose(_ id: String, tags: [String] = []) -> TrackedCompose {
        TrackedCompose(
            key: 1, composeID: id,
            info: ComposeInfo(
                date: "20260517", type: .nightly, respin: 0, release: .init(name: "F", short: "F", version: "1")),
            builder: "pungi", tags: tags)
    }

    @Test func thePlanTagsTheNewestUnlessItHasTheTagAndAnExclusiveRuleMovesIt() {
        let plain = PromotionRule(name: "n", tag: "nightly", releaseShort: "F")
        let exclusive = PromotionRule(name: "n", tag: "nightly", releaseShort: "F", exclusive: true)
        #expect(plain.plan(candidate: compose("F-1-20260517.n.2"), holders: []) == .init(tag: "F-1-20260517.n.2"))
        #expect(plain.plan(candidate: compose("F-1-20260517.n.2", tags: ["nightly"]), holders: []) == .init())
        #expect(plain.plan(candidate: nil, holders: ["F-1-20260516.n.0"]) == .init())
        #expect(
            exclusive.plan(candidate: compose("F-1-20260517.n.2"), holders: ["F-1-20260516.n.0", "F-1-20260515.n.0"])
                == .init(tag: "F-1-20260517.n.2", untag: ["F-1-20260516.n.0", "F-1-20260515.n.0"]))
        #expect(
            exclusive.plan(
                candidate: compose("F-1-20260517.n.2", tags: ["nightly"]),
                holders: ["F-1-20260517.n.2", "F-1-20260516.n.0"])
                == .init(tag: nil, untag: ["F-1-20260516.n.0"]))
        // Nothing eligible: the current holder keeps the tag.
        #expect(exclusive.plan(candidate: nil, holders: ["F-1-20260516.n.0"]) == .init())
    }
}
