import Foundation
import KilnCore
import KilnStore
import KilnTesting
import Testing

/// Compose tracking on a real PostgreSQL: respins from the counter, never equal, never lower.
@Suite struct TrackingStoreTests {
    let scratch: ConnectedTestDatabase
    var database: TestDatabase { scratch.database }
    var connection: PGConnection { scratch.connection }

    init() throws {
        scratch = try ConnectedTestDatabase()
    }

    func request(
        short: String = "Fedora", date: String = "20260517", type: ComposeID.ComposeType = .nightly, respin: Int = 0
    )
        -> ComposeImportRequest
    {
        ComposeImportRequest(
            info: ComposeInfo(
                id: "x", date: date, type: type, respin: respin,
                release: .init(name: "Fedora", short: short, version: "Rawhide")))
    }

    func importing(_ r: ComposeImportRequest, on c: PGConnection? = nil) throws -> TrackedCompose {
        let c = c ?? connection
        return try c.withTransaction { t in try TrackingStore(t).importCompose(r, builder: "pungi").compose }
    }

    @Test func respinsAreUniquePerReleaseAndDateAndNeverGoDown() throws {
        #expect(try importing(request()).composeID == "Fedora-Rawhide-20260517.n.0")
        #expect(try importing(request()).composeID == "Fedora-Rawhide-20260517.n.1")
        #expect(try importing(request(type: .production)).composeID == "Fedora-Rawhide-20260517.2")
        #expect(try importing(request(respin: 9)).info.respin == 9)
        #expect(try importing(request(respin: 4)).info.respin == 10)
        #expect(try importing(request(date: "20260518")).info.respin == 0)
        let created = try connection.count("SELECT count(*) FROM outbox WHERE topic_suffix = 'cts.compose-created'")
        #expect(created == 6)
    }

    @Test func aRolledBackImportLeavesNoGapAndNoMessage() throws {
        struct Abort: Error {}
        _ = try? connection.withTransaction { t -> Void in
            _ = try TrackingStore(t).importCompose(request(short: "Gap"), builder: "pungi")
            throw Abort()
        }
        #expect(try importing(request(short: "Gap")).info.respin == 0)
        #expect(try connection.count("SELECT count(*) FROM outbox") == 1)
    }

    @Test func parallelImportersOnSeparateConnectionsGetDistinctRespins() throws {
        let n = 8
        let conninfo = database.conninfo
        let results = Results()
        let group = DispatchGroup()
        let race = request(short: "Race")
        for _ in 0..<n {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let c = try PGConnection.connect(conninfo)
                    defer { c.close() }
                    let stored = try c.withTransaction { t in
                        try TrackingStore(t).importCompose(race, builder: "pungi").compose
                    }
                    results.add(stored.info.respin)
                } catch {
                    results.add(-1)
                }
            }.start()
        }
        group.wait()
        #expect(results.sorted == Array(0..<n))
    }

    final class Results: @unchecked Sendable {
        // Guarded by `lock`.
        private var values: [Int] = []
        private let lock = NSLock()
        func add(_ v: Int) {
            lock.lock()
            values.append(v)
            lock.unlock()
        }
        var sorted: [Int] {
            lock.lock()
            defer { lock.unlock() }
            return values.sorted()
        }
    }
}
