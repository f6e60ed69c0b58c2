/// The reports under `/api/1/reports/<name>` (and their pages under `/reports/<name>`).
public enum ReportName: String, Sendable, CaseIterable {
    case composesPerDay = "composes-per-day"
    case generationTime = "generation-time"
    case timeToDone = "time-to-done"
    case volume
    case productSize = "product-size"

    /// Whether the report is about one product (a tracked compose's release short name): it then needs `product`.
    public var takesProduct: Bool { self == .productSize }

    public var title: String {
        switch self {
        case .composesPerDay: "Composes per day"
        case .generationTime: "Generation time"
        case .timeToDone: "Time to done"
        case .volume: "Compose volume"
        case .productSize: "Product size"
        }
    }

    /// One sentence on what the report shows.
    public var summary: String {
        switch self {
        case .composesPerDay:
            "Compose requests submitted each day, by their state now and by source type."
        case .generationTime:
            "Median and 95th percentile of the time kiln generate took per compose, by the day it finished."
        case .timeToDone:
            "Median and 95th percentile of the time from submission to done, by the day composes were done."
        case .volume:
            "Free space on the compose volume and the bytes composes hold, as kiln expire last read them each day."
        case .productSize:
            "Binary packages per variant, and bytes on disk, of the last compose of each day of one product."
        }
    }

    /// How Chart.js draws it.
    public var chartType: String {
        switch self {
        case .composesPerDay: "bar"
        default: "line"
        }
    }
}

/// A report request's query arguments, checked: `from` and `to` (days, `YYYY-MM-DD`, UTC, both included; by default
/// the 30 days up to today), at most `maximumDays` days, and `product` where the report takes one. Anything else,
/// a repeated argument, or a bad value is refused.
public struct ReportQuery: Sendable, Equatable {
    public var name: ReportName
    public var from: ReportDay
    public var to: ReportDay
    public var product: String?

    public static let defaultDays = 30
    public static let maximumDays = 366
    /// The longest product name accepted (release short names are a few words at most).
    public static let maximumProductLength = 200

    public init(name: ReportName, from: ReportDay, to: ReportDay, product: String? = nil) {
        self.name = name
        self.from = from
        self.to = to
        self.product = product
    }

    /// Every day of the period, in order.
    public var days: [ReportDay] { (from.number...to.number).map(ReportDay.init(number:)) }

    /// The arguments this report reads.
    public static func knownArguments(_ name: ReportName) -> Set<String> {
        name.takesProduct ? ["from", "to", "product"] : ["from", "to"]
    }

    public static func parse(
        _ name: ReportName, arguments: [(name: String, value: String)], today: ReportDay
    ) throws(ComposeError) -> ReportQuery {
        try RequestInput.refuseUnknownArguments(arguments, known: knownArguments(name))
        var values: [String: String] = [:]
        for (key, value) in arguments {
            guard values.updateValue(value, forKey: key) == nil else {
                throw .invalid("Query argument \"\(key)\" is given more than once.")
            }
        }
        func day(_ key: String) throws(ComposeError) -> ReportDay? {
            guard let text = values[key] else { return nil }
            guard let day = ReportDay(parsing: text), day >= ReportDay.earliest, day <= ReportDay.latest else {
                throw .invalid(
                    "Invalid value for \"\(key)\": \(LogText.escaped(String(text.prefix(40)))). "
                        + "It must be a date, YYYY-MM-DD, from \(ReportDay.earliest) to \(ReportDay.latest).")
            }
            return day
        }
        let to = try day("to") ?? min(max(today, ReportDay.earliest), ReportDay.latest)
        let from = try day("from") ?? max(to.adding(days: -(defaultDays - 1)), ReportDay.earliest)
        guard from <= to else {
            throw .invalid("\"from\" (\(from)) must not be after \"to\" (\(to)).")
        }
        guard to.number - from.number + 1 <= maximumDays else {
            throw .invalid(
                "The period from \(from) to \(to) is \(to.number - from.number + 1) days long; "
                    + "a report covers at most \(maximumDays) days.")
        }
        var product: String?
        if name.takesProduct {
            guard let p = values["product"], !p.isEmpty else {
                throw .invalid("The \(name.rawValue) report needs \"product\": a release short name.")
            }
            guard p.count <= maximumProductLength else {
                throw .invalid("Invalid value for \"product\": longer than \(maximumProductLength) characters.")
            }
            product = p
        }
        return ReportQuery(name: name, from: from, to: to, product: product)
    }
}
