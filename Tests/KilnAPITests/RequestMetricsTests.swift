import Testing

@testable import KilnAPI

struct RequestMetricsTests {
    @Test func labelValuesEscapeBackslashQuoteAndNewline() {
        #expect("a\\b\"c\nd é".prometheusLabelValue() == #"a\\b\"c\nd é"#)
        #expect("plain".prometheusLabelValue() == "plain")
        #expect("".prometheusLabelValue() == "")
    }

    @Test func expositionCountsByMethodRouteAndStatus() {
        let metrics = RequestMetrics()
        metrics.record(method: "GET", route: "/api/1/about/", status: 200, seconds: 0.25)
        metrics.record(method: "GET", route: "/api/1/about/", status: 200, seconds: 0.5)
        metrics.record(method: "other", route: "unmatched", status: 405, seconds: 0.125)
        let text = metrics.exposition()
        #expect(text.contains(#"kiln_http_requests_total{method="GET",route="/api/1/about/",status="200"} 2"#))
        #expect(text.contains(#"kiln_http_requests_total{method="other",route="unmatched",status="405"} 1"#))
        #expect(
            text.contains(
                #"kiln_http_request_duration_seconds_sum{method="GET",route="/api/1/about/",status="200"} 0.75"#))
    }
}
