import KilnCore
import Testing

/// `ExpiryPlan`: what `kiln expire` removes, keeps, fails and reclaims, from the facts the job gathered.
@Suite struct ExpiryPlanTests {
    // MARK: expiry

    @Test func selectionSkipsMissingRootsKeepsSeriesLinksAndChoosesTheRest() {
        let selection = ExpiryPlan.select([
            .init(id: 1, rootExists: true, isLatestOfASeries: false),
            .init(id: 2, rootExists: false, isLatestOfASeries: false),
            .init(id: 3, rootExists: true, isLatestOfASeries: true),
            .init(id: 4, rootExists: true, isLatestOfASeries: false),
            .init(id: 5, rootExists: false, isLatestOfASeries: true),
        ])
        #expect(selection == ExpiryPlan.Selection(chosen: [1, 4], keptForLink: [3], skippedNoTargetDir: [2, 5]))
    }

    @Test func removalSeparatesExpiredFollowersAndComposesKeptForReuse() {
        // 2 is reused by a live compose (not removed); 7 and 9 reuse 1 and go with it.
        let removal = ExpiryPlan.removal(chosen: [1, 2, 3], removed: [1, 7, 3, 9])
        #expect(removal == ExpiryPlan.Removal(expired: [1, 3], followed: [7, 9], keptForReuse: [2]))
    }

    @Test func dryRunRemovalKeepsWhatLiveComposesReuse() {
        let removal = ExpiryPlan.removal(chosen: [1, 2, 3], reusedByLive: [2, 8])
        #expect(removal == ExpiryPlan.Removal(expired: [1, 3], followed: [], keptForReuse: [2]))
    }

    static let seriesLinkCases: [(String, String?, Int64?, String?, String?)] = [
        // name, productmd id, reused id, compose type -> the link that protects it
        ("odcs-5", "Fedora-Rawhide-20240101.n.0", nil, "nightly", "nightly/latest-Fedora-Rawhide"),
        ("odcs-5", "Fedora-Rawhide-20240101.n.0", nil, nil, "test/latest-Fedora-Rawhide"),
        ("odcs-5", "odcs-5-1-20240101.t.0", nil, "test", nil), // its own latest-odcs-5 link protects nothing
        ("odcs-5", "Fedora-Rawhide-20240101.n.0", 4, "nightly", nil), // reuses another: no files of its own
        ("odcs-5", nil, nil, "nightly", nil),
        ("odcs-5", "Fedora-Rawhide-20240101.n.0", nil, "weekly", nil), // not a productmd type
    ]

    @Test(arguments: seriesLinkCases)
    func seriesLink(_ c: (String, String?, Int64?, String?, String?)) {
        let link = ExpiryPlan.seriesLink(name: c.0, pungiComposeID: c.1, reusedID: c.2, composeType: c.3)
        #expect(link.map { $0.directory + "/" + $0.name } == c.4)
    }

    // MARK: stuck composes

    @Test func stuckReasonsUseODCSWording() {
        let limit = ExpiryPlan.generatingLimit(pungiTimeout: 3600)
        #expect(limit == 7200)
        let reasons = ExpiryPlan.stuckReasons(generatingLimitSeconds: limit, waitLimitSeconds: 3 * 86400)
        #expect(reasons.generating == "Compose stuck in 'generating' state for longer than 7200 seconds.")
        #expect(reasons.waiting == "Compose stuck in 'wait' state for longer than 3 days.")
    }

    @Test(arguments: [(Int64(86400), "1 day"), (172_800, "2 days"), (90, "90 seconds"), (86401, "86401 seconds")])
    func durationsAreWholeDaysOrSeconds(_ c: (Int64, String)) {
        #expect(ExpiryPlan.duration(c.0) == c.1)
    }

    // MARK: leftovers

    static func leftover(_ path: String, _ id: Int64, _ kind: ExpiryPlan.LeftoverKind) -> ExpiryPlan.Leftover {
        .init(path: "/srv/odcs/" + path, composeID: id, kind: kind, root: "/srv/odcs")
    }

    static let leftoverCases: [(ExpiryPlan.Leftover, ComposeState?, Bool, Bool)] = [
        // leftover, its compose's state (nil: no row), reused by a live compose -> purged
        (leftover("odcs-1", 1, .top), .removed, false, true),
        (leftover("odcs-1", 1, .top), nil, false, true),
        (leftover("odcs-1", 1, .top), .done, false, false),
        (leftover("odcs-1", 1, .top), .removed, true, false),
        (leftover("latest-odcs-1-1", 1, .top), .failed, false, false),
        (leftover(".logs/odcs-1.log", 1, .log), .removed, false, true),
        (leftover(".logs/odcs-1.log", 1, .log), .wait, false, false),
        (leftover("test/odcs-1-1-20240101.t.0", 1, .link), .removed, false, true),
        (leftover("test/odcs-1-1-20240101.t.0", 1, .link), .done, false, false),
        (leftover("test/odcs-1-1-20240101.t.0", 1, .link), nil, true, false),
        (leftover(".tmp-odcs-1-host-9", 1, .work), .generating, false, false),
        (leftover(".tmp-odcs-1-host-9", 1, .work), .wait, false, false),
        (leftover(".tmp-odcs-1-host-9", 1, .work), .done, false, true),
        (leftover(".tmp-odcs-1-host-9", 1, .work), .failed, false, true),
        (leftover(".tmp-odcs-1-host-9", 1, .work), .removed, true, true),
        (leftover(".tmp-odcs-1-host-9", 1, .work), nil, false, true),
        (leftover(".tmp-odcs-1-ready", 1, .work), .done, false, false), // staged: the generator places it
        (leftover(".tmp-odcs-1-ready", 1, .work), .failed, false, true),
    ]

    @Test(arguments: leftoverCases)
    func leftoverIsPurgedWhenItsComposeIsGone(_ c: (ExpiryPlan.Leftover, ComposeState?, Bool, Bool)) {
        let decisions = ExpiryPlan.leftovers(
            [c.0], states: c.1.map { [c.0.composeID: $0] } ?? [:], reusedByLive: c.2 ? [c.0.composeID] : [],
            maxID: 10)
        #expect(decisions.purge == (c.3 ? [c.0] : []))
        #expect(decisions.neverRecorded.isEmpty)
    }

    @Test func leftoverOfAnIDNeverRecordedIsLeftAlone() {
        let stray = Self.leftover("odcs-50", 50, .top)
        let gone = Self.leftover("odcs-3", 3, .top)
        let decisions = ExpiryPlan.leftovers([stray, gone], states: [:], reusedByLive: [], maxID: 10)
        #expect(decisions == ExpiryPlan.LeftoverDecisions(purge: [gone], neverRecorded: [stray]))
    }

    // MARK: reclaim

    static let gib: Int64 = 1 << 30

    static let reclaimCases: [(DiskSpace, Bool, ExpiryPlan.ReclaimGoal)] = [
        // free space, --reclaim -> goal (critical mark 5%, low-water mark 20%)
        (DiskSpace(freeBytes: 50 * gib, totalBytes: 100 * gib), false, .notNeeded),
        (DiskSpace(freeBytes: 10 * gib, totalBytes: 100 * gib), false, .notNeeded),
        (DiskSpace(freeBytes: 50 * gib, totalBytes: 100 * gib), true, .reached(target: 20 * gib)),
        (DiskSpace(freeBytes: 10 * gib, totalBytes: 100 * gib), true, .reclaim(target: 20 * gib, critical: false)),
        (DiskSpace(freeBytes: 4 * gib, totalBytes: 100 * gib), false, .reclaim(target: 20 * gib, critical: true)),
        (DiskSpace(freeBytes: 4 * gib, totalBytes: 100 * gib), true, .reclaim(target: 20 * gib, critical: true)),
    ]

    @Test(arguments: reclaimCases)
    func reclaimGoal(_ c: (DiskSpace, Bool, ExpiryPlan.ReclaimGoal)) {
        let goal = ExpiryPlan.reclaimGoal(c.0, requested: c.1, critical: .percent(5), lowWater: .percent(20))
        #expect(goal == c.2)
    }

    @Test func reclaimReasonNamesTheFreeSpaceAndTheMark() {
        #expect(
            ExpiryPlan.reclaimReason(freeBytes: 3 * Self.gib / 2, lowWater: .bytes(20 * Self.gib))
                == "Compose is expired early: the compose volume had 1.5 GiB free, below the low-water mark of 20 GiB.")
        #expect(
            ExpiryPlan.reclaimReason(freeBytes: 900, lowWater: .percent(10))
                == "Compose is expired early: the compose volume had 900 B free, below the low-water mark of 10%.")
    }
}
