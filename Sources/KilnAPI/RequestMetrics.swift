internal import KilnCore
internal import Synchronization

/// Per-process request metrics for `/api/1/metrics/`: a counter of answers by method, route and status, and a
/// latency histogram by method and route. Every label value comes from a fixed set (the known methods or `other`,
/// the route table's pattern names or `unmatched`, the statuses the responder answers with), so clients cannot
/// make new series.
public final class RequestMetrics: Sendable {
    struct Key: Hashable {
        var method: String
        var route: String
        var status: Int
    }
    struct RouteKey: Hashable {
        var method: String
        var route: String
    }
    struct Tables {
        var answers: [Key: Int64] = [:]
        var latency: [RouteKey: Histogram] = [:]
    }
    // Updated by every worker thread; read by the metrics handler.
    private let tables = Mutex(Tables())

    public init() {}

    public func record(method: String, route: String, status: Int, seconds: Double) {
        tables.withLock { t in
            t.answers[Key(method: method, route: route, status: status), default: 0] += 1
            t.latency[RouteKey(method: method, route: route), default: Histogram(bounds: Histogram.requestSeconds)]
                .observe(seconds)
        }
    }

    /// Prometheus text for the counter and the histogram.
    func exposition() -> String {
        let snapshot = tables.withLock { $0 }
        let keys = snapshot.answers.keys.sorted { ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status) }
        var out = PrometheusText.family(
            "kiln_http_requests_total", .counter, help: "HTTP requests answered by this responder process")
        for k in keys {
            out +=
                "kiln_http_requests_total{method=\"\(k.method)\",route=\"\(k.route)\",status=\"\(k.status)\"} "
                + "\(snapshot.answers[k]!)\n"
        }
        out += PrometheusText.family(
            "kiln_http_request_duration_seconds", .histogram,
            help: "Time this responder process took to answer requests, by method and route")
        for k in snapshot.latency.keys.sorted(by: { ($0.route, $0.method) < ($1.route, $1.method) }) {
            out += snapshot.latency[k]!.samples(
                name: "kiln_http_request_duration_seconds", labels: "method=\"\(k.method)\",route=\"\(k.route)\"")
        }
        return out
    }
}

/// Writing the Prometheus text exposition format (version 0.0.4).
enum PrometheusText {
    enum Kind: String {
        case counter, gauge, histogram
    }

    /// The content type every metrics endpoint answers with.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The `# HELP` and `# TYPE` lines that open a family.
    static func family(_ name: String, _ kind: Kind, help: String) -> String {
        "# HELP \(name) \(help.prometheusHelp())\n# TYPE \(name) \(kind.rawValue)\n"
    }
}

extension String {
    /// Escapes `\`, `"` and newlines for a Prometheus label value.
    func prometheusLabelValue() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for ch in self { out += Self.prometheusEscapes[ch] ?? String(ch) }
        return out
    }

    private static let prometheusEscapes: [Character: String] = ["\\": "\\\\", "\"": "\\\"", "\n": "\\n"]

    /// Escapes `\` and newlines for a `# HELP` line.
    func prometheusHelp() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for ch in self { out += ch == "\"" ? "\"" : Self.prometheusEscapes[ch] ?? String(ch) }
        return out
    }
}
