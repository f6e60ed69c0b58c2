import KilnCore
import KilnStore
import KilnTesting
import Testing

/// What `kiln track-locations` and `kiln promote` write, on a real PostgreSQL: each change with its history row and
/// its outbox message, in one transaction, and nothing when the compose changed since it was read.
@Suite struct LocationAndPromotionStoreTests {
    let scratch: ConnectedTestDatabase
    var database: TestDatabase { scratch.database }
    var connection: PGConnection { scratch.connection }

    init() throws {
        scratch = try ConnectedTestDatabase()
    }

    var store: TrackingStore { TrackingStore(connection) }

    @discardableResult
    func importing(
        _ short: String, date: String = "20260517", type: ComposeID.ComposeType = .nightly, respin: Int = 0,
        url: String? = nil,
        version: String = "Rawhide"
    ) throws -> TrackedCompose {
        let request = ComposeImportRequest(
            info: ComposeInfo(
                date: date, type: type, respin: respin, release: .init(name: short, short: short, version: version)),
            composeURL: url)
        return try connection.withTransaction { t in
            try TrackingStore(t).importCompose(request, builder: "pungi", exactRespin: true).compose
        }
    }

    func history(_ compose: TrackedCompose) throws -> [TrackingChange] { try store.changes(of: compose) }

    func messages() throws -> [(topic: String, body: JSON)] {
        let r = try connection.query("SELECT topic_suffix, body::text AS body FROM outbox ORDER BY id")
        return try r.rows.map { row in
            (try row.decode("topic_suffix"), try JSONParser.parse(try row.decode("body", as: String.self)))
        }
    }

    func outboxCount() throws -> Int64 { try connection.count("SELECT count(*) FROM outbox") }

    @Test func relocatingRecordsAMoveAndAnnouncesIt() throws {
        let a = try importing("Mv", url: "https://old.example/a")
        let before = try outboxCount()
        let moved = try connection.withTransaction { t in
            try TrackingStore(t).relocate(
                composeID: a.composeID, expectedURL: "https://old.example/a", to: "file:///data/a",
                user: TrackingStore.locationTracker)
        }
        #expect(moved?.composeURL == "file:///data/a")
        #expect(try store.compose(id: a.composeID)?.composeURL == "file:///data/a")
        let last = try #require(try history(a).last)
        #expect(last.action == "moved")
        #expect(last.user == "kiln-track-locations")
        #expect(last.message == #"Compose found at "file:///data/a"; it was at "https://old.example/a"."#)
        let sent = try messages().dropFirst(Int(before))
        #expect(sent.map(\.topic) == ["cts.compose-changed"])
        #expect(sent.first?.body["compose"]?["compose_url"] == .string("file:///data/a"))
        #expect(sent.first?.body["agent"] == .string("kiln-track-locations"))
    }

    @Test func aComposeChangedMeanwhileIsLeftAlone() throws {
        let a = try importing("Race", url: "https://new.example/a")
        let before = try outboxCount()
        let moved = try store.relocate(
            composeID: a.composeID, expectedURL: "https://old.example/a", to: "file:///data/a",
            user: TrackingStore.locationTracker)
        #expect(moved == nil)
        #expect(
            try !store.markRemoved(
                composeID: a.composeID, expectedURL: "https://old.example/a", directory: "/x", user: "u"))
        #expect(try store.compose(id: a.composeID)?.composeURL == "https://new.example/a")
        #expect(try history(a).map(\.action) == ["created"])
        #expect(try outboxCount() == before)
    }

    @Test func removedIsTaggedOnceWithItsReasonAndTakenOffWhenTheComposeIsBack() throws {
        let a = try importing("Rm", url: "https://kiln.example/composes/odcs-1")
        let url = "https://kiln.example/composes/odcs-1"
        let before = try outboxCount()
        #expect(
            try store.markRemoved(
                composeID: a.composeID, expectedURL: url, directory: "/srv/odcs-1", user: TrackingStore.locationTracker)
        )
        #expect(
            try !store.markRemoved(
                composeID: a.composeID, expectedURL: url, directory: "/srv/odcs-1", user: TrackingStore.locationTracker)
        )
        #expect(try store.compose(id: a.composeID)?.tags == ["removed"])
        #expect(try store.trackedLocations().first { $0.composeID == a.composeID }?.isRemoved == true)
        var changes = try history(a)
        #expect(changes.count == 2)
        #expect(changes[1].action == "tagged")
        #expect(changes[1].message == #"User "kiln-track-locations" added "removed" tag."#)
        #expect(changes[1].userData == "Directory /srv/odcs-1 is gone.")
        var sent = try messages().dropFirst(Int(before))
        #expect(sent.map(\.topic) == ["cts.compose-tagged"])
        #expect(sent.first?.body["tag"] == .string("removed"))
        #expect(sent.first?.body["user_data"] == .string("Directory /srv/odcs-1 is gone."))

        #expect(
            try store.unmarkRemoved(
                composeID: a.composeID, expectedURL: url, directory: "/srv/odcs-1", user: TrackingStore.locationTracker)
        )
        #expect(try store.compose(id: a.composeID)?.tags == [])
        changes = try history(a)
        #expect(changes.last?.action == "untagged")
        #expect(changes.last?.userData == "Directory /srv/odcs-1 is there again.")
        sent = try messages().dropFirst(Int(before))
        #expect(sent.map(\.topic) == ["cts.compose-tagged", "cts.compose-untagged"])
    }

    @Test func aMoveTakesRemovedOff() throws {
        let a = try importing("MvRm", url: "https://kiln.example/composes/odcs-2")
        #expect(
            try store.markRemoved(
                composeID: a.composeID, expectedURL: "https://kiln.example/composes/odcs-2", directory: "/d", user: "u")
        )
        let before = try outboxCount()
        let moved = try connection.withTransaction { t in
            try TrackingStore(t).relocate(
                composeID: a.composeID, expectedURL: "https://kiln.example/composes/odcs-2", to: "file:///data/b",
                user: "kiln-track-locations")
        }
        #expect(moved?.tags == [])
        #expect(try history(a).suffix(2).map(\.action) == ["moved", "untagged"])
        #expect(try messages().dropFirst(Int(before)).map(\.topic) == ["cts.compose-changed", "cts.compose-untagged"])
    }

    @Test func oneLocationRunAtATime() throws {
        let other = try database.connect()
        defer { other.close() }
        #expect(try store.tryLockLocationTracking())
        #expect(try !TrackingStore(other).tryLockLocationTracking())
        try store.unlockLocationTracking()
        #expect(try TrackingStore(other).tryLockLocationTracking())
    }

    @Test func trackedLocationsCarryTheReleaseKey() throws {
        let a = try importing("Key", date: "20260101", type: .production, respin: 3, url: nil, version: "9")
        let row = try #require(try store.trackedLocations().first { $0.composeID == a.composeID })
        #expect(
            row
                == LocationReconciliation.Tracked(
                    composeID: "Key-9-20260101.3", url: nil,
                    releaseKey: .init(short: "Key", version: "9", date: "20260101", respin: 3), isRemoved: false))
    }

    // MARK: promotion

    func tag(_ compose: TrackedCompose, _ name: String) throws {
        let tag = try #require(try store.tags.tag(named: name))
        let stored = try #require(try store.compose(id: compose.composeID))
        _ = try store.tags.apply(.tagger, tag: tag, to: stored, user: "qa", userData: nil)
    }

    @Test func theCandidateIsTheNewestOfTheReleaseCarryingTheRequiredTagsAndNoneExcluded() throws {
        let old = try importing("P", date: "20260510")
        let newest = try importing("P", date: "20260517", respin: 0)
        let newerRespin = try importing("P", date: "20260517", respin: 1)
        let removedOne = try importing("P", date: "20260518")
        let otherVersion = try importing("P", date: "20260520", version: "41")
        let otherRelease = try importing("Q", date: "20260520")
        for c in [old, newest, newerRespin, removedOne, otherVersion, otherRelease] { try tag(c, "qa-passed") }
        try tag(removedOne, "removed")
        let rule = PromotionRule(
            name: "n", tag: "nightly", releaseShort: "P", releaseVersion: "Rawhide", requiredTags: ["qa-passed"])
        #expect(try store.list(rule.candidateQuery).items.map(\.composeID) == [newerRespin.composeID])
        // Without a version, the other version's newer compose wins; without qa-passed on it, the next one.
        var anyVersion = rule
        anyVersion.releaseVersion = nil
        #expect(try store.list(anyVersion.candidateQuery).items.map(\.composeID) == [otherVersion.composeID])
        let production = PromotionRule(name: "p", tag: "nightly", releaseShort: "P", composeType: .production)
        #expect(try store.list(production.candidateQuery).items.isEmpty)
    }

    @Test func promotionRunsAreRecordedAndLocked() throws {
        var (last, now) = try store.promotionRun(rule: "r", lock: false)
        #expect(last == nil)
        #expect(try connection.count("SELECT count(*) FROM cts_promotion_runs") == 0)
        try connection.withTransaction { t in
            let s = TrackingStore(t)
            (last, now) = try s.promotionRun(rule: "r", lock: true)
            #expect(last == nil)
            // Another session cannot take the rule while this transaction holds it.
            let other = try database.connect()
            defer { other.close() }
            try other.execute("SET lock_timeout = '200ms'")
            #expect(throws: KilnStoreError.self) {
                try other.withTransaction { o in _ = try TrackingStore(o).promotionRun(rule: "r", lock: true) }
            }
            try s.recordPromotionRun(rule: "r", composeID: "P-1-20260517.n.0")
        }
        (last, now) = try store.promotionRun(rule: "r", lock: false)
        let recorded = try #require(last)
        #expect(abs(now.secondsSinceEpoch - recorded.secondsSinceEpoch) <= 2)
        let run = try connection.query("SELECT last_compose_id FROM cts_promotion_runs WHERE rule_name = 'r'")
        #expect(try run.value("last_compose_id", as: String?.self) == "P-1-20260517.n.0")
    }
}
