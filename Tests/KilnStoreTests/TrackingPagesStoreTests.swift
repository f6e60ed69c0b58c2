import Foundation
import KilnCore
import KilnStore
import KilnTesting
import Testing

/// What the tracked-compose pages read beyond the API's queries, on a real PostgreSQL: the compose before another
/// in its release, the tracking record of an ODCS compose, contents by variant and arch, tag names and counts.
@Suite struct TrackingPagesStoreTests {
    let scratch: ConnectedTestDatabase
    var connection: PGConnection { scratch.connection }

    init() throws {
        scratch = try ConnectedTestDatabase()
    }

    func track(
        _ short: String, version: String = "1", date: String, type: ComposeID.ComposeType = .nightly,
        odcs: Int64? = nil
    ) throws -> TrackedCompose {
        let request = ComposeImportRequest(
            info: ComposeInfo(
                id: "x", date: date, type: type, respin: 0,
                release: .init(name: short, short: short, version: version)))
        return try connection.withTransaction { t in
            try TrackingStore(t).importCompose(request, builder: "pungi", odcsComposeID: odcs).compose
        }
    }

    @Test func thePreviousComposeIsTheLatestEarlierOneOfTheSameRelease() throws {
        let first = try track("Prev", date: "20260101")
        let second = try track("Prev", date: "20260102")
        let respin = try track("Prev", date: "20260102", type: .production) // same date: respin 1
        _ = try track("Prev", version: "2", date: "20260101")
        _ = try track("Other", date: "20260101")
        let later = try track("Prev", date: "20260105")
        let store = TrackingStore(connection)
        #expect(respin.info.respin == 1)
        #expect(try store.previous(of: first) == nil)
        #expect(try store.previous(of: second) == first.composeID)
        #expect(try store.previous(of: respin) == second.composeID)
        #expect(try store.previous(of: later) == respin.composeID)
    }

    @Test func anODCSComposeIsFoundByItsTrackingRecord() throws {
        let odcs = try ComposeStore(connection).insert(
            .submitted(by: "alice", .tag, source: "f40"), secondsToLive: 3600)
        let tracked = try track("Odcs", date: "20260101", odcs: odcs.id)
        let imported = try track("Odcs", date: "20260102")
        let store = TrackingStore(connection)
        #expect(try store.compose(odcsComposeID: odcs.id)?.composeID == tracked.composeID)
        #expect(try store.compose(odcsComposeID: odcs.id + 1000) == nil)
        #expect(try store.odcsComposeID(of: tracked) == odcs.id)
        #expect(try store.odcsComposeID(of: imported) == nil)
    }

    func entry(_ text: String, variant: String, arch: String, category: ComposeContents.Category = .binary)
        -> ComposeContents.Entry
    {
        let rpm = RPMNEVRA(parsing: text)!
        return ComposeContents.Entry(
            variant: variant, arch: arch, rpm: rpm,
            sourceRPM: RPMNEVRA(name: rpm.name, epoch: 0, version: rpm.version, release: rpm.release, arch: "src"),
            category: category)
    }

    @Test func contentsAreCountedAndCutPerVariantAndArch() throws {
        let compose = try track("Trees", date: "20260101")
        let server = ["c-0:1-1.x86_64", "a-0:1-1.x86_64", "b-0:1-1.x86_64"].map {
            entry($0, variant: "Server", arch: "x86_64")
        }
        let list =
            server + [
                entry("a-0:1-1.src", variant: "Server", arch: "x86_64", category: .source),
                entry("a-debuginfo-0:1-1.x86_64", variant: "Server", arch: "x86_64", category: .debug),
                entry("z-0:1-1.aarch64", variant: "Everything", arch: "aarch64"),
                entry("y-0:1-1.s390x", variant: "Zeta", arch: "s390x"),
            ]
        try connection.withTransaction { t in
            try ComposeContentsStore(t).replace(
                key: compose.key, with: ComposeContents(entries: list), source: .uploaded, by: "pungi")
        }
        let store = ComposeContentsStore(connection)
        let counts = try store.treeCounts(key: compose.key)
        #expect(counts.map { "\($0.variant)/\($0.arch)" } == ["Everything/aarch64", "Server/x86_64", "Zeta/s390x"])
        #expect(counts[1].binary == 3 && counts[1].debug == 1 && counts[1].source == 1 && counts[1].total == 5)
        let first = try store.firstRPMs(key: compose.key, perTree: 2, trees: 2)
        #expect(
            first.map { "\($0.variant) \($0.rpm)" } == [
                "Everything z-0:1-1.aarch64", "Server a-0:1-1.src", "Server a-0:1-1.x86_64",
            ])
        #expect(try store.treeCounts(key: compose.key + 1000).isEmpty)
    }

    @Test func tagNamesAndTheirComposeCounts() throws {
        let compose = try track("Tags", date: "20260101")
        let (tag, other) = try connection.withTransaction { t in
            let tags = TrackingStore(t).tags
            let tag = try tags.create(
                name: "zz-pages", description: "d", documentation: "", user: "admin", userData: nil)
            let other = try tags.create(
                name: "zz-other", description: "d", documentation: "", user: "admin", userData: nil)
            _ = try tags.apply(.tagger, tag: tag, to: compose, user: "admin", userData: nil)
            return (tag, other)
        }
        let tags = TrackingStore(connection).tags
        let names = try tags.names(limit: 1000)
        #expect(names.contains("zz-pages") && names == names.sorted())
        #expect(try tags.names(limit: 1).count == 1)
        #expect(try tags.composeCounts(ids: [tag.id, other.id]) == ["zz-pages": 1, "zz-other": 0])
        #expect(try tags.composeCounts(ids: []).isEmpty)
    }
}
