import KilnCore
import Testing

@testable import KilnWeb

/// The report pages' view model and templates: links carry the period, the table holds the plot's figures.
@Suite struct ReportPageTests {
    let from = ReportDay(parsing: "2026-12-01")!
    let to = ReportDay(parsing: "2026-12-02")!

    func render(_ template: String, _ view: ReportPageView) -> String {
        let layout = PageLayout(title: view.title, section: "reports", path: "/reports/", identity: nil, csrf: nil)
        return PageRenderer.shared.render(template, PageModel(layout: layout, view: view))
    }

    @Test func theIndexLinksEveryReportForThePeriodAndAsksForAProduct() {
        let view = ReportPageView(
            report: nil, from: from, to: to, product: nil, products: ["Fedora", "<Odd>"], chart: nil)
        let html = render("reports", view)
        #expect(html.contains(#"<a href="/reports/volume?from=2026-12-01&amp;to=2026-12-02">Compose volume</a>"#))
        #expect(html.contains(#"href="/api/1/reports/time-to-done?from=2026-12-01&amp;to=2026-12-02">JSON</a>"#))
        #expect(html.contains("<strong>Product size</strong> (choose a product above)"))
        #expect(html.contains(#"<option value="&lt;Odd&gt;"></option>"#))
        #expect(html.contains(#"<form method="get" action="/reports/" class="filters""#))
        #expect(!html.contains("<canvas"))
        #expect(!html.contains("kiln-reports.js"))
    }

    @Test func aReportPageHasTheCanvasItsJSONAndTheSameFiguresInATable() {
        let query = ReportQuery(name: .productSize, from: from, to: to, product: "Fe&dora")
        let chart = ReportChart(
            labels: ["2026-12-01", "2026-12-02"],
            datasets: [
                .init(key: "packages:1:Server", label: "Server 1 packages", unit: "packages", data: [12, nil]),
                .init(key: "bytes:1", label: "1 bytes on disk", unit: "bytes", data: [1_572_864, nil]),
            ])
        let view = ReportPageView(
            report: .productSize, from: query.from, to: query.to, product: query.product, products: [], chart: chart)
        #expect(view.apiHref == "/api/1/reports/product-size?from=2026-12-01&to=2026-12-02&product=Fe%26dora")
        let html = render("report", view)
        #expect(
            html.contains(
                #"data-source="/api/1/reports/product-size?from=2026-12-01&amp;to=2026-12-02&amp;product=Fe%26dora""#))
        #expect(html.contains(#"<script src="/javascript/chart.js/chart.min.js"></script>"#))
        #expect(html.contains(#"<script src="/static/kiln-reports.js"></script>"#))
        #expect(html.contains(#"<th scope="col" class="num">Server 1 packages</th>"#))
        #expect(
            html.contains(
                #"<tr><th scope="row">2026-12-01</th><td class="num">12</td><td class="num">1.5 MiB</td></tr>"#))
        let empty = #"<td class="num">–</td>"#
        #expect(html.contains(#"<tr><th scope="row">2026-12-02</th>"# + empty + empty + "</tr>"))
        #expect(html.contains(#"value="Fe&amp;dora""#))
        #expect(html.contains(#"<a href="/reports/?from=2026-12-01&amp;to=2026-12-02">All reports</a>"#))
    }

    @Test func aPerProductReportWithoutAProductShowsOnlyTheForm() {
        let view = ReportPageView(
            report: .productSize, from: from, to: to, product: nil, products: ["Fedora"], chart: nil)
        #expect(!view.hasChart && view.needsProduct)
        let html = render("report", view)
        #expect(html.contains("Choose a product"))
        #expect(!html.contains("<canvas"))
        #expect(!html.contains("chart.min.js"))
        #expect(html.contains(#"<option value="Fedora"></option>"#))
    }

    @Test func valuesAreFormattedByUnit() {
        #expect(ReportPageView.format(.int(3), unit: "composes") == "3")
        #expect(ReportPageView.format(.int(1024), unit: "bytes") == "1 KiB")
        #expect(ReportPageView.format(.double(12.345), unit: "seconds") == "12.3")
        #expect(ReportPageView.format(.double(12), unit: "seconds") == "12")
        #expect(ReportPageView.format(.int(7), unit: "seconds") == "7")
        #expect(ReportPageView.format(.null, unit: "seconds") == nil)
    }
}
