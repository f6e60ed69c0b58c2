public import KilnCore

/// What the report pages show: the period and product form, links to every report for that period, and for one
/// report the figures as a table (the plot's data, for people without JavaScript) and where its JSON is.
public struct ReportPageView: Sendable {
    public struct ReportLink: Sendable {
        public var name: String
        public var title: String
        public var summary: String
        public var href: String
        public var apiHref: String
        /// The report needs a product and none is chosen: there is no link to draw yet.
        public var needsProduct: Bool
        public var current: Bool
    }

    public struct Column: Sendable {
        public var label: String
        public var unit: String
    }

    public struct Cell: Sendable {
        public var text: String
        public var empty: Bool
    }

    public struct Row: Sendable {
        public var day: String
        public var cells: [Cell]
    }

    public struct ProductOption: Sendable {
        public var name: String
        public var selected: Bool
    }

    public var name: String
    public var title: String
    public var summary: String
    public var from: String
    public var to: String
    public var product: String
    public var takesProduct: Bool
    public var products: [ProductOption]
    public var reports: [ReportLink]
    /// The JSON the plot draws (`/api/1/reports/<name>?...`), when there is a plot: not on the index, nor while a
    /// product is missing.
    public var apiHref: String
    public var hasChart: Bool
    public var isIndex: Bool
    /// The report needs a product and none is chosen.
    public var needsProduct: Bool
    public var columns: [Column]
    public var rows: [Row]
    public var hasRows: Bool
    public var maximumDays: Int

    /// The index (`report` nil) or one report's page. `chart` is the report's figures, nil when it could not be
    /// read yet (a product-size page without a product).
    public init(
        report: ReportName?, from: ReportDay, to: ReportDay, product: String?, products: [String],
        chart: ReportChart?
    ) {
        name = report?.rawValue ?? ""
        title = report?.title ?? "Reports"
        summary = report?.summary ?? ""
        self.from = from.description
        self.to = to.description
        self.product = product ?? ""
        takesProduct = report?.takesProduct ?? true
        var names = products
        if let product, !names.contains(product) { names.insert(product, at: 0) }
        self.products = names.map { ProductOption(name: $0, selected: $0 == product) }
        maximumDays = ReportQuery.maximumDays
        reports = ReportName.allCases.map { r in
            let query = Self.query(r, from: from, to: to, product: product)
            return ReportLink(
                name: r.rawValue, title: r.title, summary: r.summary, href: "/reports/\(r.rawValue)" + query,
                apiHref: "/api/1/reports/\(r.rawValue)" + query, needsProduct: r.takesProduct && product == nil,
                current: r == report)
        }
        isIndex = report == nil
        needsProduct = report?.takesProduct == true && product == nil
        hasChart = report != nil && !needsProduct
        apiHref =
            report.map { "/api/1/reports/\($0.rawValue)" + Self.query($0, from: from, to: to, product: product) } ?? ""
        columns = chart?.datasets.map { Column(label: $0.label, unit: $0.unit) } ?? []
        var rows: [Row] = []
        if let chart {
            for (i, day) in chart.labels.enumerated() {
                let cells = chart.datasets.map { d in
                    let text = i < d.data.count ? Self.format(d.data[i], unit: d.unit) : nil
                    return Cell(text: text ?? "–", empty: text == nil)
                }
                rows.append(Row(day: day, cells: cells))
            }
        }
        self.rows = rows
        hasRows = !rows.isEmpty && !columns.isEmpty
    }

    /// `?from=...&to=...` and `&product=...` where the report takes one.
    static func query(_ report: ReportName, from: ReportDay, to: ReportDay, product: String?) -> String {
        var q = "?from=\(from)&to=\(to)"
        if report.takesProduct, let product { q += "&product=" + percentEncode(product) }
        return q
    }

    /// A value as the table shows it: bytes in binary units, seconds with one decimal, counts as they are; nil for
    /// `null`.
    public static func format(_ value: JSON, unit: String) -> String? {
        let number: Double
        switch value {
        case .int(let i):
            if unit == "bytes" { return DiskSpace.format(i) }
            if unit != "seconds" { return String(i) }
            number = Double(i)
        case .double(let d): number = d
        default: return nil
        }
        if unit == "bytes", number.isFinite, abs(number) < 9e18 { return DiskSpace.format(Int64(number)) }
        let rounded = (number * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }
}
