import Foundation
import KilnCore
import KilnStore
import KilnTesting
import Testing

/// Claiming, finishing and recovering composes on a real PostgreSQL, with several connections as several generators.
@Suite final class GenerationStoreTests {
    let database: TestDatabase
    init() throws { database = try TestDatabase() }
    deinit { database.drop() }

    func generations(_ c: PGConnection) -> GenerationStore {
        GenerationStore(c, configuration: ServiceConfiguration())
    }

    func insertWaiting(_ c: PGConnection, count: Int) throws -> [Int64] {
        try (0..<count).map { _ in
            var compose = Compose.submitted(by: "o", .repo, source: "/r")
            compose.arches = "x86_64"
            return try ComposeStore(c).insert(compose, secondsToLive: 60).id
        }
    }

    @Test func twoGeneratorsNeverClaimTheSameCompose() throws {
        let a = try database.connect()
        let b = try database.connect()
        defer {
            a.close()
            b.close()
        }
        let ids = try insertWaiting(a, count: 6)
        var claimed: [Int64] = []
        while true {
            let first = try generations(a).claimNext(worker: "a")
            let second = try generations(b).claimNext(worker: "b")
            if first == nil && second == nil { break }
            claimed += [first?.id, second?.id].compactMap { $0 }
        }
        #expect(claimed.sorted() == ids)
        let states = try a.count(
            "SELECT count(*) FROM composes WHERE state = 1 AND state_reason = 'Compose thread started'")
        #expect(states == 6)
        // Each claim announced its state change.
        #expect(try a.count("SELECT count(*) FROM outbox WHERE body->'compose'->>'state_name' = 'generating'") == 6)
    }

    /// Recovery as the next generator runs it; a closed session's backend (and its locks) goes away shortly after the
    /// client disconnects, so this asks again for up to five seconds.
    func recoverEventually(_ c: PGConnection) throws -> [GenerationStore.Recovery] {
        for _ in 0..<100 {
            let recovered = try generations(c).recoverAbandoned()
            if !recovered.isEmpty { return recovered }
            usleep(50_000)
        }
        return []
    }

    @Test func aLiveGeneratorsComposeIsLeftAloneAndADeadOnesIsRequeuedThenFailed() throws {
        let live = try database.connect()
        let observer = try database.connect()
        defer {
            live.close()
            observer.close()
        }
        let ids = try insertWaiting(observer, count: 1)
        let claimed = try #require(try generations(live).claimNext(worker: "live"))
        #expect(claimed.id == ids[0])
        #expect(try generations(observer).recoverAbandoned().isEmpty)

        live.close() // the generator dies: its session, and with it the advisory lock, is gone
        #expect(try recoverEventually(observer) == [.retried(ids[0])])
        #expect(try ComposeStore(observer).get(id: ids[0])?.state == .wait)

        let second = try database.connect()
        _ = try #require(try generations(second).claimNext(worker: "second"))
        second.close()
        #expect(try recoverEventually(observer) == [.failed(ids[0])])
        let failed = try #require(try ComposeStore(observer).get(id: ids[0]))
        #expect(failed.state == .failed)
        #expect(failed.stateReason == "Error while generating compose: the generator stopped unexpectedly 2 times")
    }

    /// A database restart frees every generator's lock: a compose whose generation started before the server did is
    /// left to its (reconnecting) generator for the grace period, then queued again without counting the attempt.
    @Test func aComposeStartedBeforeTheServerIsLeftForTheGraceThenRequeuedWithoutUsingAnAttempt() throws {
        let live = try database.connect()
        let observer = try database.connect()
        defer { observer.close() }
        let ids = try insertWaiting(observer, count: 1)
        _ = try #require(try generations(live).claimNext(worker: "before-restart"))
        live.close()
        // As if the server had started after the generation began.
        try observer.query("UPDATE composes SET time_started = '2000-01-01' WHERE id = \(ids[0])")
        for _ in 0..<20 {
            #expect(try generations(observer).recoverAbandoned(graceSeconds: 1_000_000_000).isEmpty)
            usleep(50_000)
        }
        var recovered: [GenerationStore.Recovery] = []
        for _ in 0..<100 where recovered.isEmpty {
            recovered = try generations(observer).recoverAbandoned(maxAttempts: 1, graceSeconds: 1)
            usleep(50_000)
        }
        #expect(recovered == [.retried(ids[0])])
        let row = try observer.query(
            "SELECT state, generation_attempts, state_reason FROM composes WHERE id = \(ids[0])")
        #expect(try row.value("state", as: ComposeState.self) == .wait)
        #expect(try row.value("generation_attempts", as: Int64.self) == 0)
        #expect(
            try row.value("state_reason", as: String?.self)
                == "The database restarted while the compose was generating; queued again")
    }

    /// Only the generator that claimed a compose records its result.
    @Test func anotherWorkerCannotFinishAClaimedCompose() throws {
        let c = try database.connect()
        defer { c.close() }
        let ids = try insertWaiting(c, count: 1)
        _ = try #require(try generations(c).claimNext(worker: "owner"))
        #expect(try generations(c).finish(id: ids[0], state: .done, reason: "x", worker: "other").isEmpty)
        #expect(try generations(c).isGenerating(id: ids[0], by: "owner"))
        #expect(try generations(c).finish(id: ids[0], state: .done, reason: "x", worker: "owner").map(\.id) == ids)
    }

    @Test func finishingCascadesToComposesReusingIt() throws {
        let c = try database.connect()
        defer { c.close() }
        let ids = try insertWaiting(c, count: 2)
        let original = try #require(try generations(c).claimNext(worker: "w"))
        let reuser = try #require(try generations(c).claimNext(worker: "w"))
        try generations(c).reuse(id: reuser.id, of: original)
        let changed = try generations(c).finish(
            id: original.id, state: .done, reason: "Compose is generated successfully")
        #expect(changed.map(\.id) == ids)
        #expect(
            changed.allSatisfy {
                $0.state == .done && $0.stateReason == "Compose is generated successfully" && $0.timeDone != nil
            })
        #expect(try ComposeStore(c).get(id: reuser.id)?.reusedID == original.id)
    }

    /// The generation-time histogram: one count per finished generation, in its state's bucket, never for a compose
    /// someone else finished, and it keeps counting after the composes are purged.
    @Test func finishingRecordsTheGenerationTimeInTheHistogram() throws {
        let c = try database.connect()
        defer { c.close() }
        let ids = try insertWaiting(c, count: 4)
        for (id, state, seconds) in [
            (ids[0], ComposeState.done, 0.5), (ids[1], .done, 42.25), (ids[2], .failed, 100_000), (ids[3], .done, 3),
        ] {
            #expect(try generations(c).claimNext(worker: "w")?.id == id)
            if id == ids[3] {
                // Finished by someone else meanwhile: nothing is recorded.
                _ = try c.execute("UPDATE composes SET state = 4 WHERE id = \(id)")
            }
            _ = try generations(c).finish(id: id, state: state, reason: "r", worker: "w", seconds: seconds)
        }
        let times = try c.query("SELECT compose_id, state, seconds FROM generation_times ORDER BY id")
        #expect(
            try times.rows.map {
                "\(try $0.decode("compose_id", as: Int64.self)) \(try $0.decode("state", as: Int.self)) "
                    + "\(try $0.decode("seconds", as: Double.self))"
            }
                == ["\(ids[0]) 2 0.5", "\(ids[1]) 2 42.25", "\(ids[2]) 4 100000.0"])
        _ = try c.execute("DELETE FROM outbox; DELETE FROM composes")
        #expect(try c.count("SELECT count(*) FROM generation_times") == 3)
        let durations = try GenerationStore.durations(c)
        #expect(Set(durations.keys) == [.done, .failed])
        let done = try #require(durations[.done])
        #expect(done.bounds == Histogram.generationSeconds)
        #expect(done.count == 2 && done.sum == 42.75)
        #expect(done.counts[done.bucket(for: 0.5)] == 1 && done.bucket(for: 0.5) == 0)
        #expect(done.counts[done.bucket(for: 42.25)] == 1 && done.bound(ofBucket: done.bucket(for: 42.25)) == 60)
        let failed = try #require(durations[.failed])
        #expect(failed.counts.last == 1 && failed.count == 1 && failed.sum == 100_000)
        let rows = try c.query("SELECT state, le::text AS le, count FROM generation_durations ORDER BY state, le")
        #expect(
            try rows.rows.map { "\(try $0.decode("state", as: Int.self)) \(try $0.decode("le", as: String.self))" }
                == ["2 1", "2 60", "4 Infinity"])
    }

    /// A compose being generated stays a candidate however many done ones come before it (each kind is bounded on its
    /// own): the second of two identical requests generated side by side reuses the first.
    @Test func aGeneratingComposeIsACandidateBehindAnyNumberOfDoneOnes() throws {
        let c = try database.connect()
        defer { c.close() }
        let ids = try insertWaiting(c, count: 253)
        try c.query("UPDATE composes SET state = 2 WHERE id < \(ids[250])")
        try c.query("UPDATE composes SET state = 1, state_reason = 'Compose is generating' WHERE id = \(ids[251])")
        let newest = try #require(try ComposeStore(c).get(id: ids[252]))
        let candidates = try generations(c).reuseCandidates(for: newest)
        #expect(candidates.count == 201)
        #expect(candidates.prefix(3).map(\.id) == [ids[249], ids[248], ids[247]]) // done ones, newest first
        #expect(candidates.last?.id == ids[251])
        #expect(candidates.last?.state == .generating)
        // Nothing newer and nothing of another state: the waiting one (ids[250]) is no candidate.
        #expect(!candidates.contains { $0.id == ids[250] || $0.id >= newest.id })
    }

    @Test func notifyWakesAListener() throws {
        let listener = try database.connect()
        let writer = try database.connect()
        defer {
            listener.close()
            writer.close()
        }
        try listener.execute("LISTEN kiln_compose_waiting")
        #expect(try listener.waitForNotification(timeoutMilliseconds: 50) == false)
        _ = try insertWaiting(writer, count: 1)
        #expect(try listener.waitForNotification(timeoutMilliseconds: 2000) == true)
    }
}
