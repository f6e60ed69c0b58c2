public import KilnCore

/// What the tracked-compose pages read beyond the API's own queries: the tracking record of an ODCS compose, the
/// ODCS compose behind a tracked one, and the compose a tracked one follows in its release.
extension TrackingStore {
    /// The tracked compose Kiln registered when its ODCS compose `id` was done; nil when there is none.
    @available(*, noasync, message: "libpq blocks")
    public func compose(odcsComposeID id: Int64) throws(KilnStoreError) -> TrackedCompose? {
        let r = try connection.query(
            """
            SELECT \(inline: Self.columns) FROM cts_composes c WHERE c.odcs_compose_id = \(id)
            ORDER BY c.id DESC LIMIT 1
            """)
        return try r.first.map { row throws(KilnStoreError) in try Self.decode(row) }
    }

    /// The ODCS compose a tracked compose was generated as; nil for an imported compose.
    @available(*, noasync, message: "libpq blocks")
    public func odcsComposeID(of compose: TrackedCompose) throws(KilnStoreError) -> Int64? {
        let r = try connection.query("SELECT odcs_compose_id FROM cts_composes WHERE id = \(compose.key)")
        guard let row = r.first else { return nil }
        return try row.decode("odcs_compose_id", as: Int64?.self)
    }

    /// The id of the compose just before `compose` in its release (same release short name and version, any compose
    /// type): the latest of an earlier date, or of the same date with a lower respin. Nil for the first one.
    @available(*, noasync, message: "libpq blocks")
    public func previous(of compose: TrackedCompose) throws(KilnStoreError) -> String? {
        let info = compose.info
        let r = try connection.query(
            """
            SELECT c.compose_id FROM cts_composes c
            WHERE c.release_short = \(info.release.short) AND c.release_version = \(info.release.version)
              AND (c.date, c.respin) < (\(info.date), \(info.respin)::integer)
            ORDER BY c.date DESC, c.respin DESC LIMIT 1
            """)
        return try r.first?.decode("compose_id", as: String.self)
    }
}

extension TagStore {
    /// The names of the tags, by name, at most `limit` of them.
    @available(*, noasync, message: "libpq blocks")
    public func names(limit: Int) throws(KilnStoreError) -> [String] {
        let r = try connection.query("SELECT name FROM cts_tags ORDER BY name LIMIT \(literal: limit)")
        var out: [String] = []
        for row in r.rows { out.append(try row.decode("name")) }
        return out
    }

    /// How many composes carry each of the tags `ids`, by tag name.
    @available(*, noasync, message: "libpq blocks")
    public func composeCounts(ids: [Int64]) throws(KilnStoreError) -> [String: Int64] {
        guard !ids.isEmpty else { return [:] }
        let r = try connection.query(
            """
            SELECT g.name, (SELECT count(*) FROM cts_compose_tags ct WHERE ct.tag_id = g.id) AS count
            FROM cts_tags g WHERE g.id = ANY(\(PGArray.text(ids.map { String($0) }))::bigint[])
            """)
        var out: [String: Int64] = [:]
        for row in r.rows { out[try row.decode("name")] = try row.decode("count") }
        return out
    }
}

extension ComposeContentsStore {
    /// The variants and arches of compose `key`'s RPM list with their counts, ordered by variant, then arch.
    @available(*, noasync, message: "libpq blocks")
    public func treeCounts(key: Int64) throws(KilnStoreError) -> [ComposeContents.TreeCount] {
        let r = try connection.query(
            """
            SELECT t.variant, t.arch, count(*) FILTER (WHERE cr.category = 0) AS binary,
                count(*) FILTER (WHERE cr.category = 1) AS debug, count(*) FILTER (WHERE cr.category = 2) AS source
            FROM cts_compose_rpms cr JOIN cts_trees t ON t.id = cr.tree_id
            WHERE cr.compose_key = \(key)
            GROUP BY t.variant, t.arch ORDER BY t.variant, t.arch
            """)
        var out: [ComposeContents.TreeCount] = []
        for row in r.rows {
            out.append(
                ComposeContents.TreeCount(
                    variant: try row.decode("variant"), arch: try row.decode("arch"),
                    binary: try row.decode("binary"), debug: try row.decode("debug"), source: try row.decode("source")))
        }
        return out
    }

    /// The first `limit` RPMs of each variant and arch of compose `key` (at most `trees` of them), in the order the
    /// rpms/ listing uses: by variant, arch, name, package arch, then version.
    @available(*, noasync, message: "libpq blocks")
    public func firstRPMs(key: Int64, perTree limit: Int, trees: Int) throws(KilnStoreError) -> [ComposeContents.Entry]
    {
        let r = try connection.query(
            """
            WITH shown AS (
                SELECT DISTINCT cr.tree_id, t.variant, t.arch FROM cts_compose_rpms cr
                JOIN cts_trees t ON t.id = cr.tree_id WHERE cr.compose_key = \(key)
                ORDER BY t.variant, t.arch LIMIT \(literal: trees)),
            ranked AS (
                SELECT sh.variant, sh.arch, cr.rpm_id, cr.srpm_id, cr.category, cr.sigkey, cr.path,
                    row_number() OVER (PARTITION BY cr.tree_id ORDER BY r.name, r.arch, r.epoch, r.version, r.release)
                        AS n
                FROM shown sh JOIN cts_compose_rpms cr ON cr.compose_key = \(key) AND cr.tree_id = sh.tree_id
                JOIN cts_rpms r ON r.id = cr.rpm_id)
            SELECT k.variant, k.arch, r.name, r.epoch, r.version, r.release, r.arch AS rpm_arch,
                s.name AS source_name, s.epoch AS source_epoch, s.version AS source_version,
                s.release AS source_release, s.arch AS source_arch, k.category, k.sigkey, k.path
            FROM ranked k JOIN cts_rpms r ON r.id = k.rpm_id JOIN cts_rpms s ON s.id = k.srpm_id
            WHERE k.n <= \(literal: limit)
            ORDER BY k.variant, k.arch, k.n
            """)
        var items: [ComposeContents.Entry] = []
        for row in r.rows {
            items.append(
                ComposeContents.Entry(
                    variant: try row.decode("variant"), arch: try row.decode("arch"),
                    rpm: try Self.nevra(row, archColumn: "rpm_arch"), sourceRPM: try Self.nevra(row, prefix: "source_"),
                    category: Self.category(try row.decode("category")),
                    sigkey: try row.decode("sigkey", as: String?.self), path: try row.decode("path", as: String?.self)))
        }
        return items
    }
}
