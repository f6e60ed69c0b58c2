public import KilnCore

/// SQL behind the reports (`/api/1/reports/`): each reads one period (UTC days, both included) with one statement
/// over the indexes of migration 0012, grouped by day in PostgreSQL so a year of 100,000 composes sends at most one
/// row per day and group. Days are sent as their number since 1970-01-01.
public struct ReportStore {
    public let connection: PGConnection

    public init(_ connection: PGConnection) { self.connection = connection }

    /// Compose requests submitted in the period, per day, state (now) and source type, from the counts migration
    /// 0012's triggers keep.
    @available(*, noasync, message: "libpq blocks")
    public func composesPerDay(_ query: ReportQuery) throws(KilnStoreError) -> [ComposeDayCount] {
        let r = try connection.query(
            """
            SELECT (day - DATE '1970-01-01') AS day, state, source_type, count
            FROM compose_day_counts
            WHERE day >= \(query.from.description)::date AND day <= \(query.to.description)::date AND count <> 0
            """)
        var out: [ComposeDayCount] = []
        for row in r.rows {
            guard let state = ComposeState(rawValue: try row.decode("state")),
                let type = SourceType(rawValue: try row.decode("source_type"))
            else { continue }
            out.append(
                ComposeDayCount(
                    day: ReportDay(number: try row.decode("day")), state: state, sourceType: type,
                    count: try row.decode("count")))
        }
        return out
    }

    /// Generations finished in the period, per day: count, median and 95th percentile of those that ended done,
    /// and how many failed.
    @available(*, noasync, message: "libpq blocks")
    public func generationTime(_ query: ReportQuery) throws -> [DayDistribution] {
        try distribution(
            query,
            """
            SELECT count(*) FILTER (WHERE state = 2) AS count, count(*) FILTER (WHERE state = 4) AS failed,
                percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE state = 2) AS p
            FROM generation_times WHERE finished_at >= d.day AND finished_at < d.day + interval '1 day'
            """)
    }

    /// Composes done in the period, per day: count, median and 95th percentile of the seconds from submission to
    /// done. A compose reusing another counts too: it was done for its requester when it was.
    @available(*, noasync, message: "libpq blocks")
    public func timeToDone(_ query: ReportQuery) throws -> [DayDistribution] {
        try distribution(
            query,
            """
            SELECT count(*) AS count, 0 AS failed,
                percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (
                    ORDER BY extract(epoch FROM time_done - time_submitted)::float8) AS p
            FROM composes WHERE time_done >= d.day AND time_done < d.day + interval '1 day'
            """)
    }

    /// `perDay` (over `d.day`, the start of a day, giving `count`, `failed` and `p`, the median and 95th
    /// percentile as an array) for each day of the period: one index range per day, each sorted on its own, never
    /// the whole period at once. Sorts stay in memory up to a busy day of 100,000 composes.
    private func distribution(_ query: ReportQuery, _ perDay: SQLQuery) throws -> [DayDistribution] {
        try connection.withTransaction { c in
            try c.execute("SET LOCAL work_mem = '32MB'")
            let r = try c.query(
                """
                SELECT (d.day::date - DATE '1970-01-01') AS day, s.count, s.failed, s.p[1] AS median, s.p[2] AS p95
                FROM generate_series(\(query.from.description)::timestamp, \(query.to.description)::timestamp,
                    interval '1 day') AS d(day)
                CROSS JOIN LATERAL (\(inline: perDay)) s
                WHERE s.count > 0 OR s.failed > 0
                """)
            var out: [DayDistribution] = []
            for row in r.rows {
                out.append(
                    DayDistribution(
                        day: ReportDay(number: try row.decode("day")), count: try row.decode("count"),
                        median: try row.decode("median", as: Double?.self) ?? 0,
                        p95: try row.decode("p95", as: Double?.self) ?? 0, failed: try row.decode("failed")))
            }
            return out
        }
    }

    /// The last volume reading of each day of the period that has one: one index probe per day.
    @available(*, noasync, message: "libpq blocks")
    public func volume(_ query: ReportQuery) throws(KilnStoreError) -> [VolumeDayReading] {
        let r = try connection.query(
            """
            SELECT (d.day::date - DATE '1970-01-01') AS day, v.free_bytes, v.total_bytes,
                v.compose_bytes
            FROM generate_series(\(query.from.description)::timestamp, \(query.to.description)::timestamp,
                interval '1 day') AS d(day)
            CROSS JOIN LATERAL (
                SELECT free_bytes, total_bytes, compose_bytes FROM volume_readings
                WHERE taken_at >= d.day AND taken_at < d.day + interval '1 day'
                ORDER BY taken_at DESC, id DESC LIMIT 1) v
            ORDER BY d.day
            """)
        var out: [VolumeDayReading] = []
        for row in r.rows {
            out.append(
                VolumeDayReading(
                    day: ReportDay(number: try row.decode("day")), freeBytes: try row.decode("free_bytes"),
                    totalBytes: try row.decode("total_bytes"), composeBytes: try row.decode("compose_bytes")))
        }
        return out
    }

    /// For each release version of `product` (release short) and each day of the period, its last tracked compose
    /// that day (highest respin, then latest imported), with the binary packages of each variant and, when Kiln
    /// generated it, the bytes its own files hold.
    @available(*, noasync, message: "libpq blocks")
    public func productSize(_ query: ReportQuery) throws(KilnStoreError) -> [ProductDayCompose] {
        guard let product = query.product else { return [] }
        let r = try connection.query(
            """
            WITH picked AS (
                SELECT DISTINCT ON (c.release_version, c.date) c.id, c.compose_id, c.date, c.release_version,
                    c.odcs_compose_id
                FROM cts_composes c
                WHERE c.release_short = \(product) AND c.date >= \(query.from.compact)
                    AND c.date <= \(query.to.compact)
                ORDER BY c.release_version, c.date, c.respin DESC, c.id DESC)
            SELECT p.id, p.compose_id, p.date, p.release_version, o.size_bytes, v.variant, v.packages
            FROM picked p
            LEFT JOIN cts_compose_variant_packages v ON v.compose_key = p.id
            LEFT JOIN composes o ON o.id = p.odcs_compose_id AND o.reused_id IS NULL
            ORDER BY p.date, p.release_version, p.id, v.variant
            """)
        var out: [ProductDayCompose] = []
        var lastKey: Int64?
        for row in r.rows {
            let key: Int64 = try row.decode("id")
            if key != lastKey {
                guard let day = ReportDay(compact: try row.decode("date")) else { continue }
                out.append(
                    ProductDayCompose(
                        day: day, composeID: try row.decode("compose_id"),
                        releaseVersion: try row.decode("release_version"), packages: [:],
                        bytes: try row.decode("size_bytes", as: Int64?.self)))
                lastKey = key
            }
            if let variant = try row.decode("variant", as: String?.self) {
                out[out.count - 1].packages[variant] = try row.decode("packages")
            }
        }
        return out
    }

    /// The release short names of tracked composes, in name order (at most `limit`): the choices of a report form.
    @available(*, noasync, message: "libpq blocks")
    public func products(limit: Int = 500) throws(KilnStoreError) -> [String] {
        // A walk of the (release_short, ...) index from one name to the next: one probe per product.
        let r = try connection.query(
            """
            WITH RECURSIVE p(name) AS (
                (SELECT release_short FROM cts_composes ORDER BY release_short LIMIT 1)
                UNION ALL
                SELECT (SELECT release_short FROM cts_composes WHERE release_short > p.name
                        ORDER BY release_short LIMIT 1)
                FROM p WHERE p.name IS NOT NULL)
            SELECT name FROM p WHERE name IS NOT NULL LIMIT \(literal: limit)
            """)
        return try r.rows.map { row throws(KilnStoreError) in try row.decode("name") }
    }
}
