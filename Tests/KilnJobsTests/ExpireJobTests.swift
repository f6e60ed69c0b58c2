import Foundation
import KilnConfiguration
import KilnCore
import KilnJobs
import KilnStore
import KilnTesting
import Logging
import Testing

/// `kiln expire` run on a real PostgreSQL and a scratch compose volume: the plan's decisions reach the rows and the
/// directories.
@Suite final class ExpireJobTests {
    let database: TestDatabase
    let volume: String

    init() throws {
        database = try TestDatabase()
        volume = NSTemporaryDirectory() + "kiln-expire-\(getpid())-\(database.name)"
        try FileManager.default.createDirectory(atPath: volume + "/.logs", withIntermediateDirectories: true)
    }

    deinit {
        database.drop()
        try? FileManager.default.removeItem(atPath: volume)
    }

    var job: ExpireJob {
        var configuration = KilnConfiguration()
        configuration.databaseURL = database.conninfo
        configuration.service.targetDir = volume
        // Whatever the free space of the machine running the tests, nothing is reclaimed.
        configuration.operations.diskCritical = .bytes(0)
        return ExpireJob(configuration: configuration, logger: Logger(label: "test"))
    }

    /// A compose in `state` whose expiry passed `ago` seconds ago (negative: expires later), with its directory,
    /// `<type>/` link and log on the volume.
    func compose(
        _ c: PGConnection, expiredAgo ago: Int, state: ComposeState = .done, pungiID: String? = nil,
        type: String = "test"
    ) throws -> Int64 {
        var compose = Compose.submitted(by: "o", .repo, source: "/r")
        compose.arches = "x86_64"
        let id = try ComposeStore(c).insert(compose, secondsToLive: 60).id
        let pungi = pungiID ?? "odcs-\(id)-1-20240101.t.0"
        try c.query(
            """
            UPDATE composes SET state = \(Int(state.rawValue)), state_reason = 'Compose is generated successfully',
                compose_type = \(type), pungi_compose_id = \(pungi), time_done = now() AT TIME ZONE 'utc',
                time_to_expire = date_trunc('second', now() AT TIME ZONE 'utc') - make_interval(secs => \(ago))
            WHERE id = \(id)
            """)
        let fm = FileManager.default
        try fm.createDirectory(atPath: "\(volume)/odcs-\(id)/compose/metadata", withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: "\(volume)/odcs-\(id)/compose/metadata/composeinfo.json"))
        try fm.createDirectory(atPath: "\(volume)/\(type)", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: "\(volume)/\(type)/\(pungi)", withDestinationPath: "../odcs-\(id)")
        try Data("log\n".utf8).write(to: URL(fileURLWithPath: "\(volume)/.logs/odcs-\(id).log"))
        return id
    }

    func state(_ c: PGConnection, _ id: Int64) throws -> Int64 {
        try c.query("SELECT state FROM composes WHERE id = \(id)").value("state")
    }

    func exists(_ relative: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: volume + "/" + relative)) != nil
    }

    @Test func anExpiredComposeIsRemovedWithItsDirectoryLinkAndLog() throws {
        let c = try database.connect()
        defer { c.close() }
        let expired = try compose(c, expiredAgo: 10)
        let live = try compose(c, expiredAgo: -3600)
        let report = try job.run(.init())
        #expect(report.expired == [expired])
        #expect(report.errors.isEmpty)
        #expect(try state(c, expired) == Int64(ComposeState.removed.rawValue))
        #expect(try state(c, live) == Int64(ComposeState.done.rawValue))
        #expect(!exists("odcs-\(expired)"))
        #expect(!exists("test/odcs-\(expired)-1-20240101.t.0"))
        #expect(!exists(".logs/odcs-\(expired).log"))
        #expect(exists("odcs-\(live)/compose/metadata/composeinfo.json"))
        #expect(exists("test/odcs-\(live)-1-20240101.t.0"))
        #expect(exists(".logs/odcs-\(live).log"))
    }

    @Test func aDryRunReportsWithoutTouchingRowsOrFiles() throws {
        let c = try database.connect()
        defer { c.close() }
        let expired = try compose(c, expiredAgo: 10)
        var options = ExpireJob.Options(dryRun: true)
        options.batchSize = 10
        let report = try job.run(options)
        #expect(report.expired == [expired])
        #expect(try state(c, expired) == Int64(ComposeState.done.rawValue))
        #expect(exists("odcs-\(expired)/compose/metadata/composeinfo.json"))
    }

    @Test func theLatestComposeOfASeriesIsKept() throws {
        let c = try database.connect()
        defer { c.close() }
        let latest = try compose(c, expiredAgo: 10, pungiID: "Fedora-Rawhide-20240101.n.0", type: "nightly")
        try FileManager.default.createSymbolicLink(
            atPath: "\(volume)/nightly/latest-Fedora-Rawhide", withDestinationPath: "../odcs-\(latest)")
        let older = try compose(c, expiredAgo: 20, pungiID: "Fedora-Rawhide-20231231.n.0", type: "nightly")
        let report = try job.run(.init())
        #expect(report.keptForLink == [latest])
        #expect(report.expired == [older])
        #expect(try state(c, latest) == Int64(ComposeState.done.rawValue))
        #expect(exists("odcs-\(latest)/compose"))
        #expect(!exists("odcs-\(older)"))
    }

    @Test func leftoversOfRemovedComposesArePurgedAndWorkDirectoriesOfLiveOnesKept() throws {
        let c = try database.connect()
        defer { c.close() }
        let removed = try compose(c, expiredAgo: -3600, state: .removed)
        let generating = try compose(c, expiredAgo: -3600, state: .generating)
        let failed = try compose(c, expiredAgo: -3600, state: .failed)
        let fm = FileManager.default
        try fm.createDirectory(atPath: "\(volume)/.tmp-odcs-\(generating)-host-1", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: "\(volume)/.tmp-odcs-\(failed)-host-1", withIntermediateDirectories: true)
        // No compose ever had this id: the volume may belong to another database; it stays.
        try fm.createDirectory(atPath: "\(volume)/odcs-9999", withIntermediateDirectories: true)
        let report = try job.run(.init())
        #expect(
            Set(report.purged) == [
                "\(volume)/odcs-\(removed)", "\(volume)/test/odcs-\(removed)-1-20240101.t.0",
                "\(volume)/.logs/odcs-\(removed).log", "\(volume)/.tmp-odcs-\(failed)-host-1",
            ])
        #expect(!exists("odcs-\(removed)"))
        #expect(!exists(".tmp-odcs-\(failed)-host-1"))
        #expect(exists(".tmp-odcs-\(generating)-host-1"))
        #expect(exists("odcs-\(generating)/compose"))
        #expect(exists("odcs-9999"))
    }

    @Test func aComposeStuckWaitingIsFailedWithODCSReason() throws {
        let c = try database.connect()
        defer { c.close() }
        let stuck = try compose(c, expiredAgo: -3600, state: .wait)
        try c.query(
            """
            UPDATE composes SET time_submitted = now() AT TIME ZONE 'utc' - interval '4 days' WHERE id = \(stuck)
            """)
        let report = try job.run(.init())
        #expect(report.failedStuck.map(\.id) == [stuck])
        #expect(report.failedStuck.map(\.reason) == ["Compose stuck in 'wait' state for longer than 3 days."])
        #expect(try state(c, stuck) == Int64(ComposeState.failed.rawValue))
    }
}
