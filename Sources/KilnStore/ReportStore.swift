public import KilnCore

/// SQL behind the reports (`/api/1/reports/`): each reads one period (UTC days, both included) with one statement
/// over the indexes of migration 0012, grouped by day in PostgreSQL so a year of 100,000 composes sends at most one
/// row per day and group. Days are sent as their number since 1970-01-01.
public struct ReportStore {
    public let connection: PGConnection

    public init(_ connection: PGConnection) { self.connection = connection }

    /// Runs `body` in a read-only transaction set for report queries: sorts stay in memory up to a busy day of
    /// 100,000 composes, and no JIT compilation (a statement over a year of days looks costly to the planner, whose
    /// estimate of generate_series is 1,000 rows, and compiling it took longer than running it).
    @available(*, noasync, message: "libpq blocks")
    public func reading<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try connection.withTransaction { c in
            try c.execute("SET TRANSACTION READ ONLY")
            try c.execute("SET LOCAL work_mem = '32MB'")
            try c.execute("SET LOCAL jit = off")
            return try body(c)
        }
    }

    private func read(_ sql: SQLQuery) throws -> PGResult {
        try reading { c in try c.query(sql) }
    }

    /// Compose requests submitted in the period, per day, state (now) and source type, from the counts migration
    /// 0012's triggers keep.
    @available(*, noasync, message: "libpq blocks")
    public func composesPerDay(_ query: ReportQuery) throws -> [ComposeDayCount] {
        let r = try read(
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
    /// the whole period at once.
    private func distribution(_ query: ReportQuery, _ perDay: SQLQuery) throws -> [DayDistribution] {
        try reading { c in
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
    public func volume(_ query: ReportQuery) throws -> [VolumeDayReading] {
        let r = try read(
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
    /// that day (its highest respin), with the binary packages of each variant and, when Kiln
    /// generated it, the bytes its own files hold.
    @available(*, noasync, message: "libpq blocks")
    public func productSize(_ query: ReportQuery) throws -> [ProductDayCompose] {
        guard let product = query.product else { return [] }
        // Day by day, version by version: the highest version's highest respin of the day is the first entry of
        // cts_composes_release_short_date_idx read backwards from the day's end, the next version's the first
        // below that version: one probe per day and version, however many respins a day has. Variants and bytes
        // by key.
        let r = try read(
            """
            SELECT p.id, p.compose_id, p.date, p.release_version, v.variant, v.packages,
                (SELECT o.size_bytes FROM composes o WHERE o.id = p.odcs_compose_id AND o.reused_id IS NULL)
                    AS size_bytes
            FROM generate_series(\(query.from.description)::timestamp, \(query.to.description)::timestamp,
                interval '1 day') AS d(day)
            CROSS JOIN LATERAL (
                WITH RECURSIVE versions AS (
                    (SELECT c.id, c.compose_id, c.date, c.release_version, c.odcs_compose_id FROM cts_composes c
                     WHERE c.release_short = \(product) AND c.date = to_char(d.day, 'YYYYMMDD')
                     ORDER BY c.release_version DESC, c.respin DESC LIMIT 1)
                    UNION ALL
                    SELECT n.* FROM versions CROSS JOIN LATERAL (
                        SELECT c.id, c.compose_id, c.date, c.release_version, c.odcs_compose_id FROM cts_composes c
                        WHERE c.release_short = \(product) AND c.date = versions.date
                            AND c.release_version < versions.release_version
                        ORDER BY c.release_version DESC, c.respin DESC LIMIT 1) n)
                SELECT * FROM versions) p
            LEFT JOIN LATERAL (
                SELECT variant, packages FROM cts_compose_variant_packages WHERE compose_key = p.id) v ON true
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
    public func products(limit: Int = 500) throws -> [String] {
        // A walk of the (release_short, ...) index from one name to the next: one probe per product.
        let r = try read(
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
