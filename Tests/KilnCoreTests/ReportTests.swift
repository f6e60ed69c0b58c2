import Testing

@testable import KilnCore

/// Reports: days, the query arguments, percentiles and the shaping of store rows into Chart.js data.
@Suite struct ReportTests {
    static let today = ReportDay(parsing: "2026-12-03")!

    func parse(_ name: ReportName, _ query: [(String, String)]) throws -> ReportQuery {
        try ReportQuery.parse(name, arguments: query.map { (name: $0.0, value: $0.1) }, today: Self.today)
    }

    func refusal(_ name: ReportName, _ query: [(String, String)]) -> String? {
        do {
            _ = try parse(name, query)
            return nil
        } catch let error as ComposeError {
            #expect(error.code == .invalid)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    // MARK: days

    @Test func daysAreCountedFromTheEpochAndPrintedAsDates() {
        #expect(ReportDay(parsing: "1970-01-01")?.number == 0)
        #expect(ReportDay(parsing: "2000-03-01")?.number == 11_017)
        #expect(ReportDay(number: 11_016).description == "2000-02-29")
        #expect(ReportDay(number: 20_790).description == "2026-12-03")
        #expect(ReportDay(number: 20_790).compact == "20261203")
        #expect(ReportDay(compact: "20261203")?.number == 20_790)
        #expect(ReportDay(containing: 86_399).number == 0)
        #expect(ReportDay(containing: 86_400).number == 1)
        #expect(ReportDay(containing: -1).number == -1)
        for n in stride(from: -800_000, through: 2_932_000, by: 997) {
            let day = ReportDay(number: n)
            #expect(ReportDay(parsing: day.description) == (n >= -719_162 ? day : nil), "\(n)")
        }
    }

    @Test func onlyRealDatesInTheirExactFormParse() {
        for bad in [
            "2026-02-29", "2024-02-30", "2026-13-01", "2026-00-10", "2026-01-32", "2026-1-01", "26-01-01", "2026/01/01",
            "2026-01-01T00:00:00", " 2026-01-01", "２０２６-01-01", "0000-01-01", "", "2026-01-0a",
        ] {
            #expect(ReportDay(parsing: bad) == nil, "\(bad)")
        }
        #expect(ReportDay(parsing: "2024-02-29") != nil)
        #expect(ReportDay(compact: "2026120") == nil)
        #expect(ReportDay(compact: "20261301") == nil)
    }

    // MARK: query arguments

    @Test func thePeriodDefaultsToThe30DaysUpToToday() throws {
        let q = try parse(.volume, [])
        #expect(q.from.description == "2026-11-04")
        #expect(q.to == Self.today)
        #expect(q.days.count == 30)
        #expect(q.product == nil)
        let onlyTo = try parse(.volume, [("to", "2026-01-10")])
        #expect(onlyTo.from.description == "2025-12-12")
        let oneDay = try parse(.timeToDone, [("from", "2026-05-05"), ("to", "2026-05-05")])
        #expect(oneDay.days.map(\.description) == ["2026-05-05"])
        let year = try parse(.timeToDone, [("from", "2024-01-01"), ("to", "2024-12-31")])
        #expect(year.days.count == 366)
        #expect(try parse(.volume, [("to", "1970-01-05")]).from == ReportDay.earliest)
    }

    @Test func badArgumentsAreRefusedNamingWhatIsWrong() throws {
        #expect(
            refusal(.volume, [("from", "2026-12-04")]) == "\"from\" (2026-12-04) must not be after \"to\" (2026-12-03)."
        )
        #expect(
            refusal(.volume, [("from", "2024-01-01"), ("to", "2025-01-01")])
                == "The period from 2024-01-01 to 2025-01-01 is 367 days long; a report covers at most 366 days.")
        #expect(
            refusal(.volume, [("from", "yesterday")])
                == "Invalid value for \"from\": yesterday. It must be a date, YYYY-MM-DD, "
                + "from 1970-01-01 to 9999-12-30."
        )
        #expect(refusal(.volume, [("to", "1969-12-31")])?.hasPrefix("Invalid value for \"to\": 1969-12-31.") == true)
        #expect(refusal(.volume, [("to", "9999-12-31")]) != nil)
        #expect(
            refusal(.volume, [("from", "2026-01-01"), ("from", "2026-01-02")])
                == "Query argument \"from\" is given more than once.")
        #expect(refusal(.volume, [("page", "2")]) == "Unknown query argument \"page\" (this endpoint takes from, to).")
        // `product` belongs to the per-product report only.
        #expect(
            refusal(.composesPerDay, [("product", "Fedora")])?.hasPrefix("Unknown query argument \"product\"") == true)
        #expect(refusal(.productSize, []) == "The product-size report needs \"product\": a release short name.")
        #expect(refusal(.productSize, [("product", "")]) != nil)
        #expect(refusal(.productSize, [("product", String(repeating: "x", count: 201))]) != nil)
        let q = try parse(.productSize, [("product", "Fedora"), ("from", "2026-12-01")])
        #expect(q.product == "Fedora")
        #expect(q.days.count == 3)
    }

    // MARK: statistics

    @Test func percentilesInterpolateBetweenTheNearestRanks() {
        #expect(ReportStatistics.percentile([], 0.5) == nil)
        #expect(ReportStatistics.percentile([7], 0.5) == 7)
        #expect(ReportStatistics.percentile([7], 0.95) == 7)
        #expect(ReportStatistics.percentile([10, 1, 3, 2], 0.5) == 2.5)
        #expect(abs(ReportStatistics.percentile([10, 1, 3, 2], 0.95)! - 8.95) < 1e-12)
        #expect(ReportStatistics.percentile([1, 2, 3], 0.5) == 2)
        #expect(ReportStatistics.percentile([1, 2, 3], 0) == 1)
        #expect(ReportStatistics.percentile([1, 2, 3], 1) == 3)
        let hundred = (1...100).map(Double.init)
        #expect(abs(ReportStatistics.percentile(hundred, 0.95)! - 95.05) < 1e-9)
        #expect(ReportStatistics.percentile(hundred, 0.5) == 50.5)
    }

    @Test func binaryPackagesPerVariantCountEachNEVRAOnce() {
        func entry(_ variant: String, _ arch: String, _ name: String, _ category: ComposeContents.Category)
            -> ComposeContents.Entry
        {
            let rpm = RPMNEVRA(
                name: name, epoch: 0, version: "1", release: "1", arch: name.hasSuffix("-doc") ? "noarch" : arch)
            let src = RPMNEVRA(name: name, epoch: 0, version: "1", release: "1", arch: "src")
            return ComposeContents.Entry(
                variant: variant, arch: arch, rpm: category == .source ? src : rpm, sourceRPM: src, category: category,
                sigkey: nil, path: nil)
        }
        let entries = [
            entry("Server", "x86_64", "bash", .binary), entry("Server", "aarch64", "bash", .binary),
            entry("Server", "x86_64", "bash-doc", .binary), entry("Server", "aarch64", "bash-doc", .binary),
            entry("Server", "x86_64", "bash-debuginfo", .debug), entry("Server", "x86_64", "bash", .source),
            entry("Everything", "x86_64", "bash", .source),
        ]
        let counts = ReportStatistics.binaryPackagesPerVariant(entries)
        #expect(counts.map(\.variant) == ["Everything", "Server"])
        // bash.x86_64, bash.aarch64 and bash-doc.noarch (listed under both arches, counted once).
        #expect(counts.map(\.packages) == [0, 3])
    }

    // MARK: shaping

    func query(_ name: ReportName, _ from: String, _ to: String, product: String? = nil) -> ReportQuery {
        ReportQuery(name: name, from: ReportDay(parsing: from)!, to: ReportDay(parsing: to)!, product: product)
    }

    func day(_ text: String) -> ReportDay { ReportDay(parsing: text)! }

    @Test func composesPerDayFillsEveryDayAndEveryStateAndSourceType() {
        let q = query(.composesPerDay, "2026-11-30", "2026-12-02")
        let chart = ReportShaping.composesPerDay(
            q,
            counts: [
                ComposeDayCount(day: day("2026-11-30"), state: .done, sourceType: .tag, count: 2),
                ComposeDayCount(day: day("2026-11-30"), state: .failed, sourceType: .tag, count: 1),
                ComposeDayCount(day: day("2026-12-02"), state: .done, sourceType: .module, count: 4),
                ComposeDayCount(day: day("2026-12-03"), state: .done, sourceType: .module, count: 9),
            ])
        #expect(chart.labels == ["2026-11-30", "2026-12-01", "2026-12-02"])
        #expect(chart.datasets.count == ComposeState.allCases.count + SourceType.allCases.count)
        let byKey = Dictionary(uniqueKeysWithValues: chart.datasets.map { ($0.key, $0) })
        #expect(byKey["state:done"]?.data == [2, 0, 4])
        #expect(byKey["state:failed"]?.data == [1, 0, 0])
        #expect(byKey["state:wait"]?.data == [0, 0, 0])
        #expect(byKey["source_type:tag"]?.data == [3, 0, 0])
        #expect(byKey["source_type:module"]?.data == [0, 0, 4])
        #expect(byKey["source_type:pungi_compose"]?.stack == "source_type")
        #expect(byKey["state:removed"]?.stack == "state")
        #expect(chart.datasets.first?.key == "state:wait")
        let json = chart.json(q)
        #expect(json["report"] == "composes-per-day")
        #expect(json["chart_type"] == "bar")
        #expect(json["from"] == "2026-11-30")
        #expect(json["product"] == nil)
        #expect(json["datasets"]?.arrayValue?.first?["data"] == [0, 0, 0])
    }

    @Test func distributionsLeaveEmptyDaysWithoutPercentilesAndWithZeroCounts() {
        let q = query(.generationTime, "2026-12-01", "2026-12-03")
        let rows = [
            DayDistribution(day: day("2026-12-01"), count: 4, median: 2.5, p95: 8.95, failed: 1),
            DayDistribution(day: day("2026-12-03"), count: 0, median: 0, p95: 0, failed: 2),
        ]
        let chart = ReportShaping.distribution(q, days: rows, failed: true)
        #expect(chart.datasets.map(\.key) == ["median_seconds", "p95_seconds", "count", "failed"])
        #expect(chart.datasets[0].data == [.double(2.5), .null, .null])
        #expect(chart.datasets[1].data == [.double(8.95), .null, .null])
        #expect(chart.datasets[2].data == [4, 0, 0])
        #expect(chart.datasets[3].data == [1, 0, 2])
        let done = ReportShaping.distribution(query(.timeToDone, "2026-12-01", "2026-12-01"), days: rows, failed: false)
        #expect(done.datasets.map(\.key) == ["median_seconds", "p95_seconds", "count"])
        #expect(done.json(q)["datasets"]?.arrayValue?.first?["data"] == [.double(2.5)])
    }

    @Test func volumeShowsTheReadingOfEachDayAndNullWithoutOne() {
        let q = query(.volume, "2026-12-01", "2026-12-02")
        let chart = ReportShaping.volume(
            q, readings: [VolumeDayReading(day: day("2026-12-02"), freeBytes: 10, totalBytes: 100, composeBytes: 60)])
        #expect(chart.datasets.map(\.key) == ["free_bytes", "compose_bytes", "total_bytes"])
        #expect(chart.datasets.map(\.data) == [[nil, 10], [nil, 60], [nil, 100]])
        #expect(chart.datasets.allSatisfy { $0.unit == "bytes" })
    }

    @Test func productSizeHasADatasetPerVersionAndVariantNamingEachPointsCompose() {
        let q = query(.productSize, "2026-12-01", "2026-12-03", product: "Fedora")
        let chart = ReportShaping.productSize(
            q,
            composes: [
                ProductDayCompose(
                    day: day("2026-12-01"), composeID: "Fedora-10-20261201.n.0", releaseVersion: "10",
                    packages: ["Workstation": 1800, "Server": 900], bytes: 4096),
                ProductDayCompose(
                    day: day("2026-12-03"), composeID: "Fedora-10-20261203.n.2", releaseVersion: "10",
                    packages: ["Workstation": 1805], bytes: nil),
                ProductDayCompose(
                    day: day("2026-12-02"), composeID: "Fedora-9-20261202.n.0", releaseVersion: "9",
                    packages: ["Workstation": 1700], bytes: nil),
                ProductDayCompose(
                    day: day("2026-11-30"), composeID: "Fedora-9-20261130.n.0", releaseVersion: "9",
                    packages: ["Everything": 1], bytes: 1),
            ])
        #expect(
            chart.datasets.map(\.key) == [
                "packages:9:Workstation", "packages:10:Server", "packages:10:Workstation", "bytes:10",
            ])
        #expect(chart.datasets[0].data == [nil, 1700, nil])
        #expect(chart.datasets[1].data == [900, nil, .null])
        #expect(chart.datasets[2].data == [1800, nil, 1805])
        #expect(chart.datasets[2].composeIDs == ["Fedora-10-20261201.n.0", nil, "Fedora-10-20261203.n.2"])
        #expect(chart.datasets[3].data == [4096, nil, nil])
        #expect(chart.datasets[3].unit == "bytes")
        #expect(chart.datasets[2].label == "Workstation 10 packages")
        let json = chart.json(q)
        #expect(json["product"] == "Fedora")
        #expect(json["datasets"]?.arrayValue?[0]["compose_ids"] == [nil, "Fedora-9-20261202.n.0", nil])
        #expect(ReportShaping.productSize(q, composes: []).datasets.isEmpty)
        #expect(ReportShaping.versionOrder("9", "10"))
        #expect(ReportShaping.versionOrder("1.10", "Rawhide"))
        #expect(!ReportShaping.versionOrder("Rawhide", "1.10"))
    }
}
