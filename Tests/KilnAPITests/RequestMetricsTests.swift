import Testing

@testable import KilnAPI

struct RequestMetricsTests {
    @Test func labelValuesEscapeBackslashQuoteAndNewline() {
        #expect("a\\b\"c\nd é".prometheusLabelValue() == #"a\\b\"c\nd é"#)
        #expect("plain".prometheusLabelValue() == "plain")
        #expect("".prometheusLabelValue() == "")
    }

    @Test func helpTextEscapesBackslashAndNewlineOnly() {
        #expect(#"a\b "c" d"#.prometheusHelp() + "\n".prometheusHelp() == #"a\\b "c" d\n"#)
        #expect(PrometheusText.family("x_total", .counter, help: "X") == "# HELP x_total X\n# TYPE x_total counter\n")
    }

    @Test func expositionCountsByMethodRouteAndStatus() {
        let metrics = RequestMetrics()
        metrics.record(method: "GET", route: "/api/1/about/", status: 200, seconds: 0.25)
        metrics.record(method: "GET", route: "/api/1/about/", status: 200, seconds: 0.5)
        metrics.record(method: "other", route: "unmatched", status: 405, seconds: 0.125)
        let text = metrics.exposition()
        #expect(text.contains(#"kiln_http_requests_total{method="GET",route="/api/1/about/",status="200"} 2"#))
        #expect(text.contains(#"kiln_http_requests_total{method="other",route="unmatched",status="405"} 1"#))
        #expect(!text.contains("_sum{method=\"GET\",route=\"/api/1/about/\",status"))
    }

    @Test func latencyIsAHistogramByMethodAndRoute() {
        let metrics = RequestMetrics()
        metrics.record(method: "GET", route: "/api/1/about/", status: 200, seconds: 0.003)
        metrics.record(method: "GET", route: "/api/1/about/", status: 404, seconds: 0.25)
        metrics.record(method: "GET", route: "/api/1/about/", status: 200, seconds: 30)
        metrics.record(method: "POST", route: "/api/1/composes/", status: 200, seconds: 0.01)
        let text = metrics.exposition()
        let lines = text.split(separator: "\n").map(String.init)
        let about = lines.filter { $0.hasPrefix(#"kiln_http_request_duration_seconds_bucket{method="GET""#) }
        let le = #"kiln_http_request_duration_seconds_bucket{method="GET",route="/api/1/about/",le="#
        #expect(
            about == [
                le + #""0.005"} 1"#, le + #""0.01"} 1"#, le + #""0.025"} 1"#, le + #""0.05"} 1"#, le + #""0.1"} 1"#,
                le + #""0.25"} 2"#, le + #""0.5"} 2"#, le + #""1.0"} 2"#, le + #""2.5"} 2"#, le + #""5.0"} 2"#,
                le + #""10.0"} 2"#, le + #""+Inf"} 3"#,
            ])
        #expect(lines.contains(#"kiln_http_request_duration_seconds_sum{method="GET",route="/api/1/about/"} 30.253"#))
        #expect(lines.contains(#"kiln_http_request_duration_seconds_count{method="GET",route="/api/1/about/"} 3"#))
        #expect(
            lines.contains(
                #"kiln_http_request_duration_seconds_bucket{method="POST",route="/api/1/composes/",le="0.01"} 1"#))
        #expect(lines.contains(#"kiln_http_request_duration_seconds_count{method="POST",route="/api/1/composes/"} 1"#))
        // One HELP and one TYPE per family, before its samples.
        #expect(
            lines.filter { $0.hasPrefix("# TYPE ") } == [
                "# TYPE kiln_http_requests_total counter", "# TYPE kiln_http_request_duration_seconds histogram",
            ])
        #expect(lines.filter { $0.hasPrefix("# HELP ") }.count == 2)
    }
}
