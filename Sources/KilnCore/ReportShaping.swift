/// Turns what the store read into each report's chart: one label per day of the period, in order; days the store
/// has nothing for are filled in (counts with 0, measures with `null`: a median of no composes is no number, and
/// Chart.js leaves a gap there). Rows outside the period are ignored.
public enum ReportShaping {
    /// Bars per day: one dataset per state (stack `state`) and one per source type (stack `source_type`), every
    /// state and source type present, in ODCS's number order.
    public static func composesPerDay(_ query: ReportQuery, counts: [ComposeDayCount]) -> ReportChart {
        let index = dayIndex(query)
        var byState = [[Int]](repeating: Array(repeating: 0, count: index.count), count: ComposeState.allCases.count)
        var byType = [[Int]](repeating: Array(repeating: 0, count: index.count), count: SourceType.allCases.count)
        for row in counts {
            guard let i = index.position(row.day) else { continue }
            byState[ComposeState.allCases.firstIndex(of: row.state)!][i] += row.count
            byType[SourceType.allCases.firstIndex(of: row.sourceType)!][i] += row.count
        }
        var datasets: [ReportChart.Dataset] = []
        for (n, state) in ComposeState.allCases.enumerated() {
            datasets.append(
                .init(
                    key: "state:\(state.name)", label: "State \(state.name)", unit: "composes", stack: "state",
                    data: byState[n].map { .int(Int64($0)) }))
        }
        for (n, type) in SourceType.allCases.enumerated() {
            datasets.append(
                .init(
                    key: "source_type:\(type.name)", label: "Source type \(type.name)", unit: "composes",
                    stack: "source_type", data: byType[n].map { .int(Int64($0)) }))
        }
        return ReportChart(labels: index.labels, datasets: datasets)
    }

    /// Lines per day: median and 95th percentile (seconds; `null` on a day with none) and the count (0 on such a
    /// day); with `failed`, also the generations that failed that day.
    public static func distribution(_ query: ReportQuery, days rows: [DayDistribution], failed: Bool)
        -> ReportChart
    {
        let index = dayIndex(query)
        var median = [JSON](repeating: .null, count: index.count)
        var p95 = median
        var count = [JSON](repeating: .int(0), count: index.count)
        var failures = count
        for row in rows {
            guard let i = index.position(row.day) else { continue }
            if row.count > 0 {
                median[i] = .double(row.median)
                p95[i] = .double(row.p95)
            }
            count[i] = .int(Int64(row.count))
            failures[i] = .int(Int64(row.failed))
        }
        let what = failed ? "generations done" : "composes done"
        var datasets: [ReportChart.Dataset] = [
            .init(key: "median_seconds", label: "Median (seconds)", unit: "seconds", data: median),
            .init(key: "p95_seconds", label: "95th percentile (seconds)", unit: "seconds", data: p95),
            .init(key: "count", label: "Count of \(what)", unit: "composes", data: count),
        ]
        if failed {
            datasets.append(.init(key: "failed", label: "Generations failed", unit: "composes", data: failures))
        }
        return ReportChart(labels: index.labels, datasets: datasets)
    }

    /// Lines per day of the last reading: free bytes, bytes composes hold, size of the volume (`null` on a day
    /// without a reading).
    public static func volume(_ query: ReportQuery, readings: [VolumeDayReading]) -> ReportChart {
        let index = dayIndex(query)
        var free = [JSON](repeating: .null, count: index.count)
        var composes = free
        var total = free
        for r in readings {
            guard let i = index.position(r.day) else { continue }
            free[i] = .int(r.freeBytes)
            composes[i] = .int(r.composeBytes)
            total[i] = .int(r.totalBytes)
        }
        return ReportChart(
            labels: index.labels,
            datasets: [
                .init(key: "free_bytes", label: "Free", unit: "bytes", data: free),
                .init(key: "compose_bytes", label: "Held by composes", unit: "bytes", data: composes),
                .init(key: "total_bytes", label: "Volume size", unit: "bytes", data: total),
            ])
    }

    /// Lines per day: for each release version of the product (in version order) and each of its variants (in
    /// name order), the binary packages of that day's last compose, then the version's bytes on disk where any
    /// compose of it has them. Each point names its compose (`compose_ids`); `null` on days without a compose.
    public static func productSize(_ query: ReportQuery, composes: [ProductDayCompose]) -> ReportChart {
        let index = dayIndex(query)
        let inPeriod = composes.filter { index.position($0.day) != nil }
        let versions = Set(inPeriod.map(\.releaseVersion)).sorted(by: ReportShaping.versionOrder)
        var datasets: [ReportChart.Dataset] = []
        for version in versions {
            let ofVersion = inPeriod.filter { $0.releaseVersion == version }
            let variants = Set(ofVersion.flatMap(\.packages.keys)).sorted()
            for variant in variants {
                var data = [JSON](repeating: .null, count: index.count)
                var ids = data
                for c in ofVersion {
                    let i = index.position(c.day)!
                    data[i] = c.packages[variant].map { .int(Int64($0)) } ?? .null
                    ids[i] = .string(c.composeID)
                }
                datasets.append(
                    .init(
                        key: "packages:\(version):\(variant)", label: "\(variant) \(version) packages",
                        unit: "packages", data: data, composeIDs: ids))
            }
            if ofVersion.contains(where: { $0.bytes != nil }) {
                var data = [JSON](repeating: .null, count: index.count)
                var ids = data
                for c in ofVersion {
                    let i = index.position(c.day)!
                    data[i] = .optional(c.bytes)
                    ids[i] = .string(c.composeID)
                }
                datasets.append(
                    .init(
                        key: "bytes:\(version)", label: "\(version) bytes on disk", unit: "bytes", data: data,
                        composeIDs: ids))
            }
        }
        return ReportChart(labels: index.labels, datasets: datasets)
    }

    /// Release versions in numeric order where both are dot-separated numbers (`9` before `10`), else as text.
    static func versionOrder(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        let y = b.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        if !x.contains(nil), !y.contains(nil) {
            let xs = x.map { $0! }
            let ys = y.map { $0! }
            if xs != ys { return xs.lexicographicallyPrecedes(ys) }
        }
        return a < b
    }

    /// The period's days as labels, and where each day is among them.
    struct DayIndex {
        var first: ReportDay
        var labels: [String]
        var count: Int { labels.count }

        func position(_ day: ReportDay) -> Int? {
            let i = day.number - first.number
            return i >= 0 && i < labels.count ? i : nil
        }
    }

    static func dayIndex(_ query: ReportQuery) -> DayIndex {
        DayIndex(first: query.from, labels: query.days.map(\.description))
    }
}
