internal import Foundation
internal import KilnCore
internal import KilnFastCGI
internal import KilnStore

/// `/api/1/reports/<name>`: the figures behind the plots, as Chart.js draws them (`ReportChart`), public like the
/// other reads.
struct ReportRoutes {
    let context: RequestContext

    /// The route of each report, in the order of `ReportName.allCases`.
    static let routes: [Route] = ReportName.allCases.map { name in
        Route("GET", RoutePattern("/api/1/reports/\(name.rawValue)")) { try ReportRoutes(context: $0).report(name) }
    }

    func report(_ name: ReportName) throws -> HTTPResponse {
        let query = try ReportQuery.parse(name, arguments: context.request.queryArguments, today: Self.today())
        let chart = try context.read { c in try Self.chart(query, on: c) }
        return context.json(chart.json(query), cors: true)
    }

    /// The day it is now, in UTC.
    static func today() -> ReportDay {
        ReportDay(containing: Int64(Date().timeIntervalSince1970.rounded(.down)))
    }

    /// Reads and shapes one report: what its page embeds and its JSON serves.
    static func chart(_ query: ReportQuery, on c: PGConnection) throws -> ReportChart {
        let store = ReportStore(c)
        switch query.name {
        case .composesPerDay:
            return ReportShaping.composesPerDay(query, counts: try store.composesPerDay(query))
        case .generationTime:
            return ReportShaping.distribution(query, days: try store.generationTime(query), failed: true)
        case .timeToDone:
            return ReportShaping.distribution(query, days: try store.timeToDone(query), failed: false)
        case .volume:
            return ReportShaping.volume(query, readings: try store.volume(query))
        case .productSize:
            return ReportShaping.productSize(query, composes: try store.productSize(query))
        }
    }
}
