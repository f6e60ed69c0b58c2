import Foundation
import KilnCore
import KilnStore
import KilnTesting
import Testing

/// The reports' SQL on a real PostgreSQL: percentiles as `ReportStatistics` defines them, the per-day counts the
/// triggers keep, the binary packages per variant written with a list, and volume readings kept 400 days.
@Suite struct ReportStoreTests {
    let scratch: ConnectedTestDatabase
    var connection: PGConnection { scratch.connection }

    init() throws {
        scratch = try ConnectedTestDatabase()
    }

    func query(_ name: ReportName, _ from: String, _ to: String, product: String? = nil) -> ReportQuery {
        ReportQuery(name: name, from: ReportDay(parsing: from)!, to: ReportDay(parsing: to)!, product: product)
    }

    func insertComposes(_ count: Int) throws -> [Int64] {
        try (0..<count).map { _ in
            try ComposeStore(connection).insert(Compose.submitted(by: "o", .tag, source: "f40"), secondsToLive: 60).id
        }
    }

    @Test func percentilesInSQLAreTheOnesReportStatisticsDefines() throws {
        var generator = SystemRandomNumberGenerator()
        let ids = try insertComposes(1)
        let days = ["2026-03-01", "2026-03-02", "2026-03-04"]
        var expected: [String: [Double]] = [:]
        for (n, day) in days.enumerated() {
            let values = (0..<(n * 17 + 1)).map { _ in Double(Int.random(in: 0...100_000, using: &generator)) / 8 }
            expected[day] = values
            for (i, v) in values.enumerated() {
                try connection.query(
                    """
                    INSERT INTO generation_times (compose_id, finished_at, state, seconds)
                    VALUES (\(ids[0]), \(day)::timestamp + make_interval(secs => \(i)), 2, \("\(v)")::float8)
                    """)
            }
        }
        try connection.query(
            """
            INSERT INTO generation_times (compose_id, finished_at, state, seconds)
            VALUES (\(ids[0]), '2026-03-03 12:00:00', 4, 3), (\(ids[0]), '2026-03-02 23:59:59', 4, 1)
            """)
        let rows = try ReportStore(connection).generationTime(query(.generationTime, "2026-03-01", "2026-03-05"))
        #expect(rows.map(\.day.description) == ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"])
        for row in rows {
            let values = expected[row.day.description] ?? []
            #expect(row.count == values.count)
            #expect(row.failed == (["2026-03-02", "2026-03-03"].contains(row.day.description) ? 1 : 0))
            guard !values.isEmpty else { continue }
            #expect(row.median == ReportStatistics.percentile(values, 0.5), "\(row.day)")
            #expect(row.p95 == ReportStatistics.percentile(values, 0.95), "\(row.day)")
        }
    }

    @Test func perDayCountsFollowInsertsStateChangesAndMoves() throws {
        let ids = try insertComposes(3)
        let all = "{" + ids.map { String($0) }.joined(separator: ",") + "}"
        try connection.query(
            "UPDATE composes SET time_submitted = '2026-04-01 10:00:00' WHERE id = ANY(\(all)::bigint[])")
        try connection.query("UPDATE composes SET state = 2 WHERE id = \(ids[0])")
        try connection.query(
            "UPDATE composes SET time_submitted = '2026-04-02 10:00:00', source_type = 3 WHERE id = \(ids[1])")
        let counts = try ReportStore(connection).composesPerDay(query(.composesPerDay, "2026-04-01", "2026-04-02"))
        let seen = Set(counts.map { "\($0.day) \($0.sourceType.name) \($0.state.name) \($0.count)" })
        #expect(seen == ["2026-04-01 tag done 1", "2026-04-01 tag wait 1", "2026-04-02 repo wait 1"])
        // The counts are what counting the composes gives.
        let recount = try connection.count(
            "SELECT count(*) FROM (SELECT time_submitted::date, source_type, state, count(*) FROM composes "
                + "GROUP BY 1, 2, 3 EXCEPT SELECT day, source_type, state, count FROM compose_day_counts) d")
        #expect(recount == 0)
    }

    @Test func aRecordedListWritesItsBinaryPackagesPerVariant() throws {
        let request = ComposeImportRequest(
            info: ComposeInfo(
                id: "x", date: "20260601", type: .nightly, respin: 0,
                release: .init(name: "P", short: "P", version: "1")),
            composeURL: nil)
        let compose = try connection.withTransaction { t in
            try TrackingStore(t).importCompose(request, builder: "pungi").compose
        }
        func entry(_ variant: String, _ name: String, _ arch: String, _ category: ComposeContents.Category)
            -> ComposeContents.Entry
        {
            let src = RPMNEVRA(name: name, version: "1", release: "1", arch: "src")
            let rpm = category == .source ? src : RPMNEVRA(name: name, version: "1", release: "1", arch: arch)
            return ComposeContents.Entry(
                variant: variant, arch: arch == "noarch" ? "x86_64" : arch, rpm: rpm, sourceRPM: src,
                category: category)
        }
        let contents = ComposeContents(entries: [
            entry("Server", "a", "x86_64", .binary), entry("Server", "a", "aarch64", .binary),
            entry("Server", "a", "x86_64", .source), entry("Server", "a-debuginfo", "x86_64", .debug),
            entry("Extras", "b", "x86_64", .source),
        ])
        try ComposeContentsStore(connection).replace(key: compose.key, with: contents, source: .uploaded, by: "u")
        let product = try ReportStore(connection).productSize(
            query(.productSize, "2026-06-01", "2026-06-01", product: "P"))
        #expect(product.count == 1)
        #expect(product.first?.packages == ["Server": 2, "Extras": 0])
        #expect(product.first?.bytes == nil)
        try ComposeContentsStore(connection).replace(
            key: compose.key, with: ComposeContents(entries: [entry("Server", "c", "x86_64", .binary)]),
            source: .uploaded, by: "u")
        let replaced = try ReportStore(connection).productSize(
            query(.productSize, "2026-06-01", "2026-06-01", product: "P"))
        #expect(replaced.first?.packages == ["Server": 1])
        #expect(try ReportStore(connection).products() == ["P"])
    }

    @Test func volumeReadingsAreTheDaysLastAndOldOnesArePruned() throws {
        try connection.query(
            """
            INSERT INTO volume_readings (taken_at, free_bytes, total_bytes, compose_bytes) VALUES
                ('2026-05-01 08:00:00', 10, 100, 5), ('2026-05-01 20:00:00', 20, 100, 6),
                (now() AT TIME ZONE 'utc' - interval '401 days', 1, 1, 1)
            """)
        let readings = try ReportStore(connection).volume(query(.volume, "2026-04-30", "2026-05-02"))
        #expect(
            readings == [
                VolumeDayReading(
                    day: ReportDay(parsing: "2026-05-01")!, freeBytes: 20, totalBytes: 100, composeBytes: 6)
            ])
        try ReportStore(connection).recordVolume(DiskSpace(freeBytes: 7, totalBytes: 9), composeBytes: 2)
        #expect(try connection.count("SELECT count(*) FROM volume_readings") == 3)
        #expect(
            try connection.count("SELECT count(*) FROM volume_readings WHERE free_bytes = 7 AND compose_bytes = 2") == 1
        )
    }
}
