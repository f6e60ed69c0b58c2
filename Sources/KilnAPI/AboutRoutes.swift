internal import KilnCore
internal import KilnFastCGI
internal import KilnStore

/// `/api/1/about/` and `/api/1/metrics/`.
struct AboutRoutes {
    let context: RequestContext

    func about() -> HTTPResponse {
        let service = context.service
        func restrictions(_ table: [String: Permissions.Restrictions]) -> JSON {
            var o = JSONObject()
            for name in table.keys.sorted() {
                var r = JSONObject()
                for (attr, values) in table[name]!.sorted(by: { $0.key < $1.key }) { r[attr] = .array(values.map { .string($0) }) }
                o[name] = .object(r)
            }
            return .object(o)
        }
        var rawConfigs = JSONObject()
        for (name, raw) in service.rawConfigURLs.sorted(by: { $0.key < $1.key }) {
            var r = JSONObject()
            r["url"] = .string(raw.url)
            r["config_filename"] = .string(raw.configFilename)
            if let s = raw.secondsToLive { r["seconds_to_live"] = .int(s) }
            if let s = raw.maxSecondsToLive { r["max_seconds_to_live"] = .int(s) }
            rawConfigs[name] = .object(r)
        }
        let body: JSON = [
            "version": .string(context.configuration.version),
            "auth_backend": .string(service.authBackend),
            "allowed_clients": ["users": restrictions(service.allowedClients.users), "groups": restrictions(service.allowedClients.groups)],
            "raw_config_urls": .object(rawConfigs),
            "sigkeys": .array(service.sigkeys.map { .string($0) }),
        ]
        return context.json(body, cors: true)
    }

    /// Prometheus text computed now: compose counts from the database, request counters of this process.
    func metrics() throws -> HTTPResponse {
        let counts = try context.read { c in try ComposeStore(c).countsByTypeAndState() }
        var out = "# HELP composes_total Total number of composes\n# TYPE composes_total gauge\n"
        for type in SourceType.allCases {
            for state in ComposeState.allCases {
                out += "composes_total{source_type=\"\(type.name)\",state=\"\(state.name)\"} \(counts[type]?[state] ?? 0)\n"
            }
        }
        out += context.metrics.exposition()
        return HTTPResponse(
            status: 200,
            headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"), ("Access-Control-Allow-Origin", "*")],
            body: Array(out.utf8))
    }
}
