internal import KilnConfiguration
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
                for (attr, values) in table[name]!.sorted(by: { $0.key < $1.key }) {
                    r[attr] = .array(values.map { .string($0) })
                }
                o[name] = .object(r)
            }
            return .object(o)
        }
        var rawConfigs = JSONObject()
        for (name, raw) in service.rawConfigURLs.sorted(by: { $0.key < $1.key }) {
            var r = JSONObject()
            r["url"] = .string(raw.url)
            r["config_filename"] = .string(raw.configFilename)
            if let p = raw.path { r["path"] = .string(p) }
            if let t = raw.pungiTimeout { r["pungi_timeout"] = .int(t) }
            if let s = raw.secondsToLive { r["seconds_to_live"] = .int(s) }
            if let s = raw.maxSecondsToLive { r["max_seconds_to_live"] = .int(s) }
            rawConfigs[name] = .object(r)
        }
        let body: JSON = [
            "version": .string(context.configuration.version),
            "auth_backend": .string(service.authBackend),
            "allowed_clients": [
                "users": restrictions(service.allowedClients.users),
                "groups": restrictions(service.allowedClients.groups),
            ],
            "raw_config_urls": .object(rawConfigs),
            "sigkeys": .array(service.sigkeys.map { .string($0) }),
        ]
        return context.json(body, cors: true)
    }

    /// Prometheus text computed now: compose counts from the database, request counters of this process.
    func metrics() throws -> HTTPResponse {
        let configuration = context.configuration
        let (counts, bytes, disk, tokens) = try context.read { c in
            let bytes = try ExpiryStore.bytesByState(c)
            return (
                try ComposeStore(c).countsByTypeAndState(), bytes,
                try ExpiryStore.diskSpace(
                    c, targetDir: configuration.service.targetDir, quota: configuration.operations.targetDirQuota,
                    bytesByState: bytes),
                try TokenCheckStore(c).all()
            )
        }
        var out = "# HELP composes_total Total number of composes\n# TYPE composes_total gauge\n"
        for type in SourceType.allCases {
            for state in ComposeState.allCases {
                out +=
                    "composes_total{source_type=\"\(type.name)\",state=\"\(state.name)\"} "
                    + "\(counts[type]?[state] ?? 0)\n"
            }
        }
        out += Self.operationsMetrics(bytes: bytes, disk: disk, operations: configuration.operations, tokens: tokens)
        out += context.metrics.exposition()
        return HTTPResponse(
            status: 200,
            headers: [
                ("Content-Type", "text/plain; version=0.0.4; charset=utf-8"), ("Access-Control-Allow-Origin", "*"),
            ],
            body: Array(out.utf8))
    }

    /// The disk-space guard's and `kiln check-token`'s figures, Prometheus text.
    static func operationsMetrics(
        bytes: [ComposeState: Int64], disk: DiskSpace?, operations: OperationsConfiguration,
        tokens: [TokenCheckStore.Check]
    ) -> String {
        var out =
            "# HELP kiln_compose_bytes Bytes the composes in each state hold on the compose volume\n"
            + "# TYPE kiln_compose_bytes gauge\n"
        for state in ComposeState.allCases {
            out += "kiln_compose_bytes{state=\"\(state.name)\"} \(bytes[state] ?? 0)\n"
        }
        if let disk {
            out +=
                "# HELP kiln_disk_free_bytes Free space on the compose volume (within target_dir_quota when set)\n"
                + "# TYPE kiln_disk_free_bytes gauge\n"
            out += "kiln_disk_free_bytes \(disk.freeBytes)\n"
            out +=
                "# HELP kiln_disk_total_bytes Size of the compose volume (or target_dir_quota)\n"
                + "# TYPE kiln_disk_total_bytes gauge\n"
            out += "kiln_disk_total_bytes \(disk.totalBytes)\n"
            out +=
                "# HELP kiln_disk_low_water_bytes Below this, composes wait and kiln expire --reclaim frees space\n"
                + "# TYPE kiln_disk_low_water_bytes gauge\n"
            out += "kiln_disk_low_water_bytes \(operations.diskLowWater.bytes(of: disk.totalBytes))\n"
            out +=
                "# HELP kiln_disk_critical_bytes Below this, every kiln expire run reclaims space\n"
                + "# TYPE kiln_disk_critical_bytes gauge\n"
            out += "kiln_disk_critical_bytes \(operations.diskCritical.bytes(of: disk.totalBytes))\n"
            out +=
                "# HELP kiln_disk_low Whether composes are held waiting for disk space (1) or not (0)\n"
                + "# TYPE kiln_disk_low gauge\n"
            out += "kiln_disk_low \(disk.isBelow(operations.diskLowWater) ? 1 : 0)\n"
        }
        if !tokens.isEmpty {
            out +=
                "# HELP kiln_service_token_expiry_timestamp_seconds When each service token expires, as kiln "
                + "check-token last saw it\n"
            out += "# TYPE kiln_service_token_expiry_timestamp_seconds gauge\n"
            for t in tokens {
                if let e = t.expiresAt {
                    out +=
                        "kiln_service_token_expiry_timestamp_seconds{name=\"\(t.name.prometheusLabelValue())\"} \(e)\n"
                }
            }
            out +=
                "# HELP kiln_service_token_status 0 ok, 1 warning, 2 failing, 3 expired, 4 unreadable\n"
                + "# TYPE kiln_service_token_status gauge\n"
            for t in tokens {
                let labels = "name=\"\(t.name.prometheusLabelValue())\",status=\"\(t.status.rawValue)\""
                out += "kiln_service_token_status{\(labels)} \(t.status.metricValue)\n"
            }
            out += "# HELP kiln_service_token_checked_timestamp_seconds When kiln check-token last ran for each token\n"
            out += "# TYPE kiln_service_token_checked_timestamp_seconds gauge\n"
            for t in tokens {
                out +=
                    "kiln_service_token_checked_timestamp_seconds{name=\"\(t.name.prometheusLabelValue())\"} "
                    + "\(t.checkedAt)\n"
            }
        }
        return out
    }
}
