import Foundation
import KilnConfiguration
import KilnCore
import KilnJobs
import KilnStore
import KilnTesting
import Logging
import Testing

/// `kiln promote` and `kiln track-locations` on a real PostgreSQL: the tags and locations of tracked composes.
@Suite final class TrackingJobsTests {
    let database: TestDatabase
    let volume: String

    init() throws {
        database = try TestDatabase()
        volume = NSTemporaryDirectory() + "kiln-tracking-\(getpid())-\(database.name)"
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
    }

    deinit {
        database.drop()
        try? FileManager.default.removeItem(atPath: volume)
    }

    var configuration: KilnConfiguration {
        var configuration = KilnConfiguration()
        configuration.databaseURL = database.conninfo
        configuration.service.targetDir = volume
        configuration.service.targetDirURL = "https://kiln.example/composes"
        return configuration
    }

    func tracked(_ c: PGConnection, date: String, url: String? = nil) throws -> TrackedCompose {
        let request = ComposeImportRequest(
            info: ComposeInfo(
                date: date, type: .nightly, respin: 0,
                release: .init(name: "Fedora", short: "Fedora", version: "Rawhide")),
            composeURL: url)
        return try c.withTransaction { t in
            try TrackingStore(t).importCompose(request, builder: "pungi", exactRespin: true).compose
        }
    }

    func tags(_ c: PGConnection, _ composeID: String) throws -> [String] {
        try TrackingStore(c).compose(id: composeID)?.tags ?? []
    }

    // MARK: promote

    @Test func anExclusiveRuleTagsTheNewestComposeAndTakesTheTagOffTheOthers() throws {
        let c = try database.connect()
        defer { c.close() }
        let older = try tracked(c, date: "20260501")
        let newer = try tracked(c, date: "20260502")
        var settings = configuration
        settings.tracking.promotionRules = [
            PromotionRule(name: "latest", tag: "nightly", releaseShort: "Fedora", exclusive: true)
        ]
        let job = PromoteJob(configuration: settings, logger: Logger(label: "test"))

        let first = try job.run()
        #expect(first.results.map(\.outcome) == [.promoted(composeID: newer.composeID, untagged: [])])
        #expect(try tags(c, newer.composeID) == ["nightly"])
        #expect(try tags(c, older.composeID).isEmpty)

        let again = try job.run()
        #expect(again.results.map(\.outcome) == [.unchanged(composeID: newer.composeID, untagged: [])])

        let newest = try tracked(c, date: "20260503")
        let third = try job.run()
        #expect(third.results.map(\.outcome) == [.promoted(composeID: newest.composeID, untagged: [newer.composeID])])
        #expect(try tags(c, newest.composeID) == ["nightly"])
        #expect(try tags(c, newer.composeID).isEmpty)
        #expect(!third.failed)
    }

    @Test func aRuleNamingAnUnknownTagFailsAndTagsNothing() throws {
        let c = try database.connect()
        defer { c.close() }
        let compose = try tracked(c, date: "20260501")
        var settings = configuration
        settings.tracking.promotionRules = [PromotionRule(name: "bad", tag: "no-such-tag", releaseShort: "Fedora")]
        let report = try PromoteJob(configuration: settings, logger: Logger(label: "test")).run()
        #expect(report.results.map(\.outcome) == [.failed("tag no-such-tag does not exist")])
        #expect(report.failed)
        #expect(try tags(c, compose.composeID).isEmpty)
    }

    // MARK: track-locations

    /// Writes a compose toplevel (`<volume>/<name>/compose/metadata/composeinfo.json`) for productmd id `number`.
    func writeCompose(_ name: String, number: Int64) throws -> String {
        let id = ProductmdMetadata.composeID(composeNumber: number, composeType: "test", date: "20260510", respin: 0)
        let metadata = ProductmdMetadata(
            composeID: id, label: nil, releaseName: "odcs-\(number)", arches: ["x86_64"], entries: [])
        let directory = "\(volume)/\(name)/compose/metadata"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(metadata.composeInfo().serialized().utf8)
            .write(to: URL(fileURLWithPath: directory + "/composeinfo.json"))
        return id.description
    }

    @Test func aComposeOnDiskIsImportedThenFollowedWhenMovedAndTaggedRemovedWhenGone() throws {
        let c = try database.connect()
        defer { c.close() }
        let job = TrackLocationsJob(configuration: configuration, logger: Logger(label: "test"))
        let composeID = try writeCompose("odcs-7", number: 7)

        let imported = try job.run()
        #expect(imported.imported.map(\.composeID) == [composeID])
        #expect(imported.imported.map(\.url) == ["https://kiln.example/composes/odcs-7"])
        #expect(imported.errors.isEmpty)
        #expect(
            try TrackingStore(c).compose(id: composeID)?.composeURL
                == "https://kiln.example/composes/odcs-7")

        try FileManager.default.moveItem(atPath: volume + "/odcs-7", toPath: volume + "/moved-7")
        let moved = try job.run()
        #expect(moved.moved.map(\.composeID) == [composeID])
        #expect(moved.moved.map(\.to) == ["https://kiln.example/composes/moved-7"])

        try FileManager.default.removeItem(atPath: volume + "/moved-7")
        let gone = try job.run()
        #expect(gone.removed.map(\.composeID) == [composeID])
        #expect(try tags(c, composeID) == ["removed"])

        let quiet = try job.run()
        #expect(quiet.removed.isEmpty && quiet.moved.isEmpty && quiet.imported.isEmpty)
    }

    @Test func aDryRunChangesNothing() throws {
        let c = try database.connect()
        defer { c.close() }
        let composeID = try writeCompose("odcs-8", number: 8)
        let job = TrackLocationsJob(configuration: configuration, logger: Logger(label: "test"))
        let report = try job.run(.init(dryRun: true))
        #expect(report.imported.map(\.composeID) == [composeID])
        #expect(try TrackingStore(c).compose(id: composeID) == nil)
    }
}
