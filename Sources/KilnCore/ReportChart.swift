/// A report as Chart.js draws it: `labels` (one per point on the x axis: the days of the period) and `datasets`
/// (a label and one value per label each; `null` where there is nothing to show). Each dataset also carries `key`
/// (a stable name for programs), `unit` (`composes`, `seconds`, `bytes`, `packages`) and, for stacked bars, `stack`;
/// Chart.js ignores what it does not know, so the JSON is its `data` as it is.
public struct ReportChart: Sendable, Equatable {
    public struct Dataset: Sendable, Equatable {
        public var key: String
        public var label: String
        public var unit: String
        /// Datasets with the same stack are stacked on one bar.
        public var stack: String?
        public var data: [JSON]
        /// Per point, the tracked compose the value is of (product-size only).
        public var composeIDs: [JSON]?

        public init(
            key: String, label: String, unit: String, stack: String? = nil, data: [JSON], composeIDs: [JSON]? = nil
        ) {
            self.key = key
            self.label = label
            self.unit = unit
            self.stack = stack
            self.data = data
            self.composeIDs = composeIDs
        }

        public var json: JSON {
            var o = JSONObject()
            o["key"] = .string(key)
            o["label"] = .string(label)
            o["unit"] = .string(unit)
            if let stack { o["stack"] = .string(stack) }
            o["data"] = .array(data)
            if let composeIDs { o["compose_ids"] = .array(composeIDs) }
            return .object(o)
        }
    }

    public var labels: [String]
    public var datasets: [Dataset]

    public init(labels: [String], datasets: [Dataset]) {
        self.labels = labels
        self.datasets = datasets
    }

    /// `{"report", "from", "to", "product"?, "chart_type", "labels", "datasets"}`.
    public func json(_ query: ReportQuery) -> JSON {
        var o = JSONObject()
        o["report"] = .string(query.name.rawValue)
        o["from"] = .string(query.from.description)
        o["to"] = .string(query.to.description)
        if let product = query.product { o["product"] = .string(product) }
        o["chart_type"] = .string(query.name.chartType)
        o["labels"] = .array(labels.map { .string($0) })
        o["datasets"] = .array(datasets.map(\.json))
        return .object(o)
    }
}

// MARK: - What the store reads, per day

/// Compose requests submitted on `day` that are in `state` now, of `sourceType`.
public struct ComposeDayCount: Sendable, Equatable {
    public var day: ReportDay
    public var state: ComposeState
    public var sourceType: SourceType
    public var count: Int

    public init(day: ReportDay, state: ComposeState, sourceType: SourceType, count: Int) {
        self.day = day
        self.state = state
        self.sourceType = sourceType
        self.count = count
    }
}

/// The durations of one day: how many, their median and 95th percentile (`ReportStatistics.percentile`), and for
/// generation time, how many generations failed that day.
public struct DayDistribution: Sendable, Equatable {
    public var day: ReportDay
    public var count: Int
    public var median: Double
    public var p95: Double
    public var failed: Int

    public init(day: ReportDay, count: Int, median: Double, p95: Double, failed: Int = 0) {
        self.day = day
        self.count = count
        self.median = median
        self.p95 = p95
        self.failed = failed
    }
}

/// The last reading of the compose volume on `day`.
public struct VolumeDayReading: Sendable, Equatable {
    public var day: ReportDay
    public var freeBytes: Int64
    public var totalBytes: Int64
    public var composeBytes: Int64

    public init(day: ReportDay, freeBytes: Int64, totalBytes: Int64, composeBytes: Int64) {
        self.day = day
        self.freeBytes = freeBytes
        self.totalBytes = totalBytes
        self.composeBytes = composeBytes
    }
}

/// The last tracked compose of one release version of a product on `day`: its binary packages per variant, and
/// the bytes its files hold on the compose volume when Kiln generated it (nil otherwise).
public struct ProductDayCompose: Sendable, Equatable {
    public var day: ReportDay
    public var composeID: String
    public var releaseVersion: String
    public var packages: [String: Int]
    public var bytes: Int64?

    public init(day: ReportDay, composeID: String, releaseVersion: String, packages: [String: Int], bytes: Int64?) {
        self.day = day
        self.composeID = composeID
        self.releaseVersion = releaseVersion
        self.packages = packages
        self.bytes = bytes
    }
}
