import Foundation
import KilnCore
import KilnStore
import KilnTesting
import Testing

/// `kiln expire`'s database side on a real PostgreSQL: reasons, reuse, stuck composes, and the byte counters.
@Suite final class ExpiryStoreTests {
    let database: TestDatabase
    init() throws { database = try TestDatabase() }
    deinit { database.drop() }

    func store(_ c: PGConnection) -> ExpiryStore { ExpiryStore(c, configuration: ServiceConfiguration()) }

    /// A done compose that expired `ago` seconds ago (negative: expires later), optionally reusing `reusing`.
    func done(
        _ c: PGConnection, expiredAgo ago: Int, reusing: Int64? = nil,
        reason: String? = "Compose is generated successfully",
        removedBy: String? = nil, size: Int64? = nil, state: Int = 2
    ) throws -> Int64 {
        var compose = Compose.submitted(by: "o", .repo, source: "/r")
        compose.arches = "x86_64"
        let id = try ComposeStore(c).insert(compose, secondsToLive: 60).id
        try c.query(
            """
            UPDATE composes SET state = \(state), state_reason = \(reason), reused_id = \(reusing),
                removed_by = \(removedBy),
                size_bytes = \(size), time_done = now() AT TIME ZONE 'utc',
                time_to_expire = date_trunc('second', now() AT TIME ZONE 'utc') - make_interval(secs => \(ago))
            WHERE id = \(id)
            """)
        return id
    }

    func row(_ c: PGConnection, _ id: Int64) throws -> (state: Int64, reason: String?, removed: Bool) {
        let r = try c.query(
            "SELECT state, state_reason, time_removed IS NOT NULL AS removed FROM composes WHERE id = \(id)")
        return (
            try r.value("state"), try r.value("state_reason", as: String?.self),
            try r.value("removed", as: Bool?.self) ?? false
        )
    }

    @Test func expiredComposesAreRemovedWithODCSReasons() throws {
        let c = try database.connect()
        defer { c.close() }
        let plain = try done(c, expiredAgo: 10)
        let deleted = try done(c, expiredAgo: 10, removedBy: "bob")
        let noReason = try done(c, expiredAgo: 10, reason: nil)
        let failed = try done(c, expiredAgo: 10, reason: "Error while generating compose: boom", state: 4)
        let live = try done(c, expiredAgo: -3600)
        let candidates = try store(c).expired(after: 0, limit: 100).map(\.id)
        #expect(candidates == [plain, deleted, noReason, failed])
        #expect(try store(c).expired(after: deleted, limit: 1).map(\.id) == [noReason])
        let removed = try store(c).remove(candidates)
        #expect(removed.map(\.id) == candidates)
        #expect(removed.allSatisfy { $0.state == .removed })
        #expect(try row(c, plain).reason == "Compose is generated successfully\nCompose is expired.")
        #expect(try row(c, deleted).reason == "Compose is generated successfully\nRemoved by bob.")
        #expect(try row(c, noReason).reason == "Compose is expired.")
        #expect(try row(c, failed).reason == "Error while generating compose: boom\nCompose is expired.")
        #expect(try row(c, plain).removed)
        #expect(try row(c, live).state == 2)
        // One state-changed message per removed compose, in the same transaction.
        let messages = try c.count("SELECT count(*) FROM outbox WHERE body->'compose'->>'state_name' = 'removed'")
        #expect(messages == 4)
    }

    @Test func aComposeIsRemovedOnlyIfStillExpiredWhenLocked() throws {
        let c = try database.connect()
        defer { c.close() }
        let id = try done(c, expiredAgo: 10)
        // Extended (PATCH) after it was listed as expired.
        try c.query(
            "UPDATE composes SET time_to_expire = now() AT TIME ZONE 'utc' + interval '1 hour' WHERE id = \(id)")
        #expect(try store(c).remove([id]).isEmpty)
        #expect(try row(c, id).state == 2)
    }

    @Test func filesALiveComposeReusesAreKeptAndReusersFollowTheirSource() throws {
        let c = try database.connect()
        defer { c.close() }
        let source = try done(c, expiredAgo: 10)
        let liveReuser = try done(c, expiredAgo: -3600, reusing: source)
        #expect(try store(c).reusedByLiveComposes([source]) == [source])
        #expect(try store(c).remove([source]).isEmpty)
        #expect(try row(c, source).state == 2)

        // Once the reuser is past its expiry too, the source goes and takes its expired reusers with it.
        try c.query(
            "UPDATE composes SET time_to_expire = now() AT TIME ZONE 'utc' - interval '1 second' "
                + "WHERE id = \(liveReuser)"
        )
        let failedReuser = try done(c, expiredAgo: -3600, reusing: source, reason: "Error", state: 4)
        #expect(try store(c).reusedByLiveComposes([source]).isEmpty)
        let removed = try store(c).remove([source])
        #expect(Set(removed.map(\.id)) == [source, liveReuser, failedReuser])
        #expect(try row(c, failedReuser).reason == "Error\nCompose is expired.")
    }

    @Test func stuckComposesAreFoundAndFailedOnlyIfStillStuck() throws {
        let c = try database.connect()
        defer { c.close() }
        let generating = try done(c, expiredAgo: -3600, reason: "Compose thread started", state: 1)
        try c.query(
            "UPDATE composes SET time_started = now() AT TIME ZONE 'utc' - interval '3 hours' WHERE id = \(generating)")
        let fresh = try done(c, expiredAgo: -3600, reason: "Compose thread started", state: 1)
        try c.query("UPDATE composes SET time_started = now() AT TIME ZONE 'utc' WHERE id = \(fresh)")
        let waiting = try done(c, expiredAgo: -3600, reason: nil, state: 0)
        try c.query(
            "UPDATE composes SET time_submitted = now() AT TIME ZONE 'utc' - interval '4 days' WHERE id = \(waiting)")
        let stuck = try store(c).stuck(generatingLimitSeconds: 7200, waitLimitSeconds: 3 * 86400)
        #expect(stuck.generating == [generating])
        #expect(stuck.waiting == [waiting])
        let failed = try store(c).failStuck(id: generating, from: .generating, reason: "stuck")
        #expect(failed.map(\.id) == [generating])
        #expect(try row(c, generating).state == 4)
        #expect(try row(c, generating).reason == "stuck")
        // Not in `wait` any more: nothing happens.
        #expect(try store(c).failStuck(id: generating, from: .wait, reason: "again").isEmpty)
        #expect(try row(c, generating).reason == "stuck")
    }

    @Test func bytesPerStateFollowEveryChange() throws {
        let c = try database.connect()
        defer { c.close() }
        let before = try store(c).bytesByState()
        let a = try done(c, expiredAgo: 10, size: 1000)
        let b = try done(c, expiredAgo: -60, size: 500)
        var now = try store(c).bytesByState()
        #expect((now[.done] ?? 0) - (before[.done] ?? 0) == 1500)
        _ = try store(c).remove([a])
        now = try store(c).bytesByState()
        #expect((now[.done] ?? 0) - (before[.done] ?? 0) == 500)
        #expect((now[.removed] ?? 0) - (before[.removed] ?? 0) == 1000)
        try c.query("DELETE FROM composes WHERE id = \(b)")
        now = try store(c).bytesByState()
        #expect((now[.done] ?? 0) - (before[.done] ?? 0) == 0)
        #expect(try ExpiryStore.bytesOnDisk(c) == (now[.done] ?? 0) + (now[.failed] ?? 0) + (now[.generating] ?? 0))
    }

    @Test func reclaimCandidatesAreTheOldestDoneOnesNobodyLiveReuses() throws {
        let c = try database.connect()
        defer { c.close() }
        try c.query("UPDATE composes SET state = 3 WHERE state = 2")
        let old = try done(c, expiredAgo: -3600)
        let reused = try done(c, expiredAgo: -3600)
        _ = try done(c, expiredAgo: -7200, reusing: reused)
        let newer = try done(c, expiredAgo: -3600)
        try c.query("UPDATE composes SET time_done = now() AT TIME ZONE 'utc' - interval '2 days' WHERE id = \(old)")
        try c.query("UPDATE composes SET time_done = now() AT TIME ZONE 'utc' - interval '1 day' WHERE id = \(newer)")
        #expect(try store(c).reclaimCandidates(limit: 10).map(\.id) == [old, newer])
        // A reclaim removes a compose that is not expired, with its own reason.
        let removed = try store(c).remove([newer], reason: "Compose is expired early: low disk", requireExpired: false)
        #expect(removed.map(\.id) == [newer])
        #expect(try row(c, newer).reason == "Compose is generated successfully\nCompose is expired early: low disk")
    }

    @Test func waitingComposesAreHeldOnceWithAReason() throws {
        let c = try database.connect()
        defer { c.close() }
        let w = try done(c, expiredAgo: -3600, reason: nil, state: 0)
        #expect(try ExpiryStore.holdWaiting(c, reason: "Waiting for disk space") >= 1)
        #expect(try ExpiryStore.holdWaiting(c, reason: "Waiting for disk space") == 0)
        #expect(try row(c, w).reason == "Waiting for disk space")
    }

    @Test func tokenChecksAreUpsertedAndForgotten() throws {
        let c = try database.connect()
        defer { c.close() }
        let store = TokenCheckStore(c)
        try store.record(
            .init(name: "koji", checkedAt: 1_800_000_000, expiresAt: 1_800_086_400, status: .failing, message: "soon"))
        try store.record(
            .init(name: "pulp \"x\"", checkedAt: 1_800_000_000, expiresAt: nil, status: .unreadable, message: "bad"))
        try store.record(
            .init(name: "koji", checkedAt: 1_800_000_100, expiresAt: 1_900_000_000, status: .ok, message: "fine"))
        #expect(
            try store.all() == [
                .init(name: "koji", checkedAt: 1_800_000_100, expiresAt: 1_900_000_000, status: .ok, message: "fine"),
                .init(
                    name: "pulp \"x\"", checkedAt: 1_800_000_000, expiresAt: nil, status: .unreadable, message: "bad"),
            ])
        try store.keepOnly(["pulp \"x\""])
        #expect(try store.all().map(\.name) == ["pulp \"x\""])
    }
}
