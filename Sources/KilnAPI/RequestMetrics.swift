internal import Synchronization

/// Per-process request counters for `/api/1/metrics/`.
public final class RequestMetrics: Sendable {
    struct Key: Hashable {
        var method: String
        var route: String
        var status: Int
    }
    struct Values {
        var count: Int = 0
        var seconds: Double = 0
    }
    // Updated by every worker thread; read by the metrics handler.
    private let table = Mutex<[Key: Values]>([:])

    public init() {}

    public func record(method: String, route: String, status: Int, seconds: Double) {
        table.withLock { t in
            t[Key(method: method, route: route, status: status), default: Values()].count += 1
            t[Key(method: method, route: route, status: status), default: Values()].seconds += seconds
        }
    }

    /// Prometheus text for the counters.
    func exposition() -> String {
        let snapshot = table.withLock { $0 }
        let keys = snapshot.keys.sorted { ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status) }
        var out = "# HELP kiln_http_requests_total HTTP requests answered by this responder process.\n"
        out += "# TYPE kiln_http_requests_total counter\n"
        for k in keys {
            out +=
                "kiln_http_requests_total{method=\"\(k.method)\",route=\"\(k.route)\",status=\"\(k.status)\"} "
                + "\(snapshot[k]!.count)\n"
        }
        out += "# HELP kiln_http_request_duration_seconds_sum Time spent answering requests, by route.\n"
        out += "# TYPE kiln_http_request_duration_seconds_sum counter\n"
        for k in keys {
            let labels = "method=\"\(k.method)\",route=\"\(k.route)\",status=\"\(k.status)\""
            out += "kiln_http_request_duration_seconds_sum{\(labels)} \(snapshot[k]!.seconds)\n"
        }
        return out
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
}
