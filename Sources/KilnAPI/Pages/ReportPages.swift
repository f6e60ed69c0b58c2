internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import KilnWeb

/// `/reports/` and `/reports/<name>`: the reports of `/api/1/reports/` as pages, with the same query arguments
/// (`from`, `to`, and `product` where the report takes one), checked the same way.
struct ReportPages {
    let context: RequestContext

    /// The index: the period and product form, and every report for that period.
    func index() throws -> HTTPResponse {
        let arguments = context.request.queryArguments
        try RequestInput.refuseUnknownArguments(arguments, known: ReportQuery.knownArguments(.productSize))
        let period = try ReportQuery.parse(
            .volume, arguments: arguments.filter { $0.name != "product" }, today: ReportRoutes.today())
        let product = try Self.product(arguments)
        let products = try context.read { c in try ReportStore(c).products() }
        let view = ReportPageView(
            report: nil, from: period.from, to: period.to, product: product, products: products, chart: nil)
        return context.page("reports", title: "Reports", section: "reports", view: view)
    }

    /// One report: its plot (drawn from its JSON) and the same figures as a table. A per-product report without a
    /// product shows the form to choose one.
    func report(_ name: String) throws -> HTTPResponse {
        guard let report = ReportName(rawValue: name) else {
            throw APIError(status: 404, message: "No such report: \(percentEncode(name)).")
        }
        var arguments = context.request.queryArguments
        let today = ReportRoutes.today()
        // An empty `product` (the form sent with the field blank) is no product.
        arguments.removeAll { $0.name == "product" && $0.value.isEmpty && report.takesProduct }
        if report.takesProduct, !arguments.contains(where: { $0.name == "product" }) {
            let period = try ReportQuery.parse(.volume, arguments: arguments, today: today)
            let products = try context.read { c in try ReportStore(c).products() }
            let view = ReportPageView(
                report: report, from: period.from, to: period.to, product: nil, products: products, chart: nil)
            return context.page("report", title: report.title, section: "reports", view: view)
        }
        let query = try ReportQuery.parse(report, arguments: arguments, today: today)
        let (chart, products) = try context.read { c in
            (try ReportRoutes.chart(query, on: c), report.takesProduct ? try ReportStore(c).products() : [])
        }
        let view = ReportPageView(
            report: report, from: query.from, to: query.to, product: query.product, products: products, chart: chart)
        return context.page("report", title: report.title, section: "reports", view: view)
    }

    /// The index's optional `product`: at most `ReportQuery.maximumProductLength` characters.
    static func product(_ arguments: [(name: String, value: String)]) throws -> String? {
        let values = arguments.filter { $0.name == "product" }.map(\.value)
        guard values.count <= 1 else {
            throw ComposeError.invalid("Query argument \"product\" is given more than once.")
        }
        guard let value = values.first, !value.isEmpty else { return nil }
        guard value.count <= ReportQuery.maximumProductLength else {
            throw ComposeError.invalid(
                "Invalid value for \"product\": longer than \(ReportQuery.maximumProductLength) characters.")
        }
        return value
    }
}
