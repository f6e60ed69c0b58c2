public import KilnCore

/// SQL for compose contents (migration 0006): a tracked compose's RPM list, the list filters that join through it,
/// diffs, and the bookkeeping of fetching lists from `compose_url`. Runs on the connection it is given, inside the
/// caller's transaction.
public struct ComposeContentsStore {
    public let connection: PGConnection

    public init(_ connection: PGConnection) { self.connection = connection }

    /// Where a compose's list came from.
    public enum Source: String, Sendable { case generated, uploaded, fetched }

    /// The `cts_compose_contents` row of a compose.
    public struct Status: Sendable, Equatable {
        public var source: Source?
        public var rpmCount: Int
        public var importedAt: Timestamp?
        public var importedBy: String?
        public var fetchAttempts: Int
        public var fetchError: String?

        public var json: JSON {
            [
                "source": .optional(source?.rawValue), "rpm_count": .int(Int64(rpmCount)),
                "imported_at": .optional(importedAt?.iso8601),
                "imported_by": .optional(importedBy), "fetch_attempts": .int(Int64(fetchAttempts)),
                "fetch_error": .optional(fetchError),
            ]
        }
    }

    static func categoryNumber(_ c: ComposeContents.Category) -> Int {
        switch c {
        case .binary: 0
        case .debug: 1
        case .source: 2
        }
    }

    static func category(_ n: Int64) -> ComposeContents.Category { n == 1 ? .debug : n == 2 ? .source : .binary }

    /// Replaces the RPM list of compose `key` with `contents` (new NEVRAs and variant/arch pairs are added to the
    /// dictionaries), and records where it came from. Three set statements whatever the list's size.
    @available(*, noasync, message: "libpq blocks")
    public func replace(key: Int64, with contents: ComposeContents, source: Source, by user: String?)
        throws(KilnStoreError)
    {
        let entries = contents.entries
        try connection.query("DELETE FROM cts_compose_rpms WHERE compose_key = \(key)")
        if !entries.isEmpty {
            let variants = PGArray.text(entries.map(\.variant))
            let arches = PGArray.text(entries.map(\.arch))
            try connection.query(
                """
                INSERT INTO cts_trees (variant, arch)
                SELECT DISTINCT v, a FROM unnest(\(variants)::text[], \(arches)::text[]) AS i(v, a) ORDER BY v, a
                ON CONFLICT (variant, arch) DO NOTHING
                """)
            // Every NEVRA, binary and source, once; in index order so concurrent importers lock alike.
            var unique = Set<RPMNEVRA>()
            for e in entries {
                unique.insert(e.rpm)
                unique.insert(e.sourceRPM)
            }
            let all = unique.sorted {
                ($0.name, $0.version, $0.release, $0.epoch, $0.arch) < (
                    $1.name, $1.version, $1.release, $1.epoch, $1.arch
                )
            }
            try connection.query(
                """
                INSERT INTO cts_rpms (name, epoch, version, release, arch)
                SELECT * FROM unnest(\(PGArray.text(all.map(\.name)))::text[],
                    \(PGArray.text(all.map { String($0.epoch) }))::integer[],
                    \(PGArray.text(all.map(\.version)))::text[], \(PGArray.text(all.map(\.release)))::text[],
                    \(PGArray.text(all.map(\.arch)))::text[])
                ON CONFLICT (name, version, release, epoch, arch) DO NOTHING
                """)
            // Each row carries the compose's date (migration 0008), read from the compose itself.
            try connection.query(
                """
                INSERT INTO cts_compose_rpms (compose_key, tree_id, rpm_id, srpm_id, category, sigkey, path,
                    compose_date)
                SELECT \(key), t.id, r.id, s.id, i.category, i.sigkey, i.path,
                    (SELECT c.date FROM cts_composes c WHERE c.id = \(key))
                FROM unnest(\(variants)::text[], \(arches)::text[],
                    \(PGArray.text(entries.map(\.rpm.name)))::text[],
                        \(PGArray.text(entries.map { String($0.rpm.epoch) }))::integer[],
                    \(PGArray.text(entries.map(\.rpm.version)))::text[],
                        \(PGArray.text(entries.map(\.rpm.release)))::text[],
                    \(PGArray.text(entries.map(\.rpm.arch)))::text[],
                    \(PGArray.text(entries.map(\.sourceRPM.name)))::text[],
                        \(PGArray.text(entries.map { String($0.sourceRPM.epoch) }))::integer[],
                    \(PGArray.text(entries.map(\.sourceRPM.version)))::text[],
                        \(PGArray.text(entries.map(\.sourceRPM.release)))::text[],
                    \(PGArray.text(entries.map(\.sourceRPM.arch)))::text[],
                    \(PGArray.text(entries.map { String(Self.categoryNumber($0.category)) }))::smallint[],
                    \(PGArray.text(entries.map(\.sigkey)))::text[], \(PGArray.text(entries.map(\.path)))::text[])
                    AS i(variant, arch, name, epoch, version, release, rpm_arch, s_name, s_epoch, s_version, s_release,
                        s_arch,
                         category, sigkey, path)
                JOIN cts_trees t ON t.variant = i.variant AND t.arch = i.arch
                JOIN cts_rpms r ON r.name = i.name AND r.version = i.version AND r.release = i.release
                    AND r.epoch = i.epoch AND r.arch = i.rpm_arch
                JOIN cts_rpms s ON s.name = i.s_name AND s.version = i.s_version AND s.release = i.s_release
                    AND s.epoch = i.s_epoch
                    AND s.arch = i.s_arch
                ON CONFLICT (compose_key, tree_id, rpm_id) DO NOTHING
                """)
        }
        try replaceVariantPackages(key: key, counts: ReportStatistics.binaryPackagesPerVariant(entries))
        try connection.query(
            """
            INSERT INTO cts_compose_contents (compose_key, source, rpm_count, imported_at, imported_by)
            VALUES (\(key), \(source.rawValue), \(entries.count), date_trunc('second', now() AT TIME ZONE 'utc'),
                \(user))
            ON CONFLICT (compose_key) DO UPDATE SET source = EXCLUDED.source, rpm_count = EXCLUDED.rpm_count,
                imported_at = EXCLUDED.imported_at, imported_by = EXCLUDED.imported_by, fetch_error = NULL,
                    next_fetch_at = NULL
            """)
    }

    /// The binary packages of each variant of compose `key` (migration 0012), replaced with its list.
    @available(*, noasync, message: "libpq blocks")
    func replaceVariantPackages(key: Int64, counts: [(variant: String, packages: Int)]) throws(KilnStoreError) {
        try connection.query("DELETE FROM cts_compose_variant_packages WHERE compose_key = \(key)")
        guard !counts.isEmpty else { return }
        try connection.query(
            """
            INSERT INTO cts_compose_variant_packages (compose_key, variant, packages)
            SELECT \(key), v, n FROM unnest(\(PGArray.text(counts.map(\.variant)))::text[],
                \(PGArray.text(counts.map { String($0.packages) }))::integer[]) AS i(v, n)
            """)
    }

    /// The contents row of compose `key`; nil when there is none.
    @available(*, noasync, message: "libpq blocks")
    public func status(key: Int64) throws(KilnStoreError) -> Status? {
        let r = try connection.query(
            """
            SELECT source, rpm_count, extract(epoch FROM imported_at)::bigint AS imported_at, imported_by,
                fetch_attempts, fetch_error
            FROM cts_compose_contents WHERE compose_key = \(key)
            """)
        guard r.rowCount == 1, let row = r.first else { return nil }
        return Status(
            source: try row.decode("source", as: String?.self).flatMap(Source.init(rawValue:)),
            rpmCount: try row.decode("rpm_count"), importedAt: try row.decode("imported_at", as: Timestamp?.self),
            importedBy: try row.decode("imported_by", as: String?.self),
            fetchAttempts: try row.decode("fetch_attempts"),
            fetchError: try row.decode("fetch_error", as: String?.self))
    }

    /// Does compose `key` have a recorded list?
    @available(*, noasync, message: "libpq blocks")
    public func hasContents(key: Int64) throws(KilnStoreError) -> Bool {
        try status(key: key)?.source != nil
    }

    /// One page of compose `key`'s RPMs, ordered by variant, arch, name, package arch, then version text.
    @available(*, noasync, message: "libpq blocks")
    public func list(key: Int64, _ query: ComposeContentsQuery) throws(KilnStoreError) -> Page<ComposeContents.Entry> {
        var conditions: [SQLQuery] = ["cr.compose_key = \(key)"]
        if let v = query.variant { conditions.append("t.variant = \(v)") }
        if let v = query.arch { conditions.append("t.arch = \(v)") }
        if let v = query.rpmArch { conditions.append("r.arch = \(v)") }
        if let v = query.name { conditions.append("r.name = \(v)") }
        if let c = query.category { conditions.append("cr.category = \(literal: Self.categoryNumber(c))") }
        let from: SQLQuery = """
             FROM cts_compose_rpms cr JOIN cts_trees t ON t.id = cr.tree_id JOIN cts_rpms r ON r.id = cr.rpm_id
             JOIN cts_rpms s ON s.id = cr.srpm_id\(inline: SQLQuery.where(conditions))
            """
        let total: Int = try connection.query("SELECT count(*) AS count" + from).value("count")
        var items: [ComposeContents.Entry] = []
        if query.perPage > 0 {
            let r = try connection.query(
                """
                SELECT t.variant, t.arch, r.name, r.epoch, r.version, r.release, r.arch AS rpm_arch,
                    s.name AS source_name, s.epoch AS source_epoch, s.version AS source_version,
                    s.release AS source_release,
                    s.arch AS source_arch, cr.category, cr.sigkey, cr.path\(inline: from)
                ORDER BY t.variant, t.arch, r.name, r.arch, r.epoch, r.version, r.release
                LIMIT \(literal: query.perPage) OFFSET \(literal: max(0, (query.page - 1) * query.perPage))
                """)
            for row in r.rows {
                items.append(
                    ComposeContents.Entry(
                        variant: try row.decode("variant"), arch: try row.decode("arch"),
                        rpm: try Self.nevra(row, archColumn: "rpm_arch"),
                        sourceRPM: try Self.nevra(row, prefix: "source_"),
                        category: Self.category(try row.decode("category")),
                        sigkey: try row.decode("sigkey", as: String?.self),
                        path: try row.decode("path", as: String?.self)))
            }
        }
        return Page(items: items, page: query.page, perPage: query.perPage, total: total)
    }

    /// An RPM's name, epoch, version, release and arch from columns `<prefix>name` ... (`archColumn` when the
    /// arch has its own alias).
    static func nevra(_ row: PGRow, prefix: String = "", archColumn: String? = nil) throws(KilnStoreError) -> RPMNEVRA {
        RPMNEVRA(
            name: try row.decode(prefix + "name"), epoch: try row.decode(prefix + "epoch"),
            version: try row.decode(prefix + "version"), release: try row.decode(prefix + "release"),
            arch: try row.decode(archColumn ?? prefix + "arch"))
    }

    /// The diff from compose `from` to compose `to`: PostgreSQL sends only the RPMs one side holds and counts the
    /// rest; `ComposeDiff` classifies them in rpm's version order.
    @available(*, noasync, message: "libpq blocks")
    public func diff(from: TrackedCompose, to: TrackedCompose) throws(KilnStoreError) -> ComposeDiff {
        let r = try connection.query(
            """
            WITH a AS (SELECT tree_id, rpm_id FROM cts_compose_rpms WHERE compose_key = \(from.key)),
                 b AS (SELECT tree_id, rpm_id FROM cts_compose_rpms WHERE compose_key = \(to.key)),
                 d AS ((SELECT 0 AS side, * FROM a EXCEPT ALL SELECT 0, * FROM b)
                       UNION ALL (SELECT 1, * FROM b EXCEPT ALL SELECT 1, * FROM a))
            SELECT d.side, t.variant, t.arch, r.name, r.epoch, r.version, r.release, r.arch AS rpm_arch
            FROM d JOIN cts_trees t ON t.id = d.tree_id JOIN cts_rpms r ON r.id = d.rpm_id
            UNION ALL
            SELECT 2, NULL, NULL, NULL, count(*), NULL, NULL, NULL FROM a JOIN b USING (tree_id, rpm_id)
            """)
        var leaving: [ComposeDiff.Item] = []
        var arriving: [ComposeDiff.Item] = []
        var unchanged = 0
        for row in r.rows {
            let side: Int = try row.decode("side")
            if side == 2 {
                unchanged = try row.decode("epoch") // the count of RPMs both hold
                continue
            }
            let item = ComposeDiff.Item(
                variant: try row.decode("variant"), arch: try row.decode("arch"),
                rpm: try Self.nevra(row, archColumn: "rpm_arch"))
            if side == 0 { leaving.append(item) } else { arriving.append(item) }
        }
        return ComposeDiff(
            from: from.composeID, to: to.composeID, leaving: leaving, arriving: arriving, unchanged: unchanged)
    }

    // MARK: Fetching from compose_url

    /// A compose whose list is to be fetched.
    public struct PendingFetch: Sendable, Equatable {
        public var key: Int64
        public var composeID: String
        public var composeURL: String
        public var attempts: Int
    }

    /// Claims up to `limit` composes with a `compose_url` and no list whose fetch is due: each claim counts an
    /// attempt and moves the next one `retryAfterSeconds` ahead (a lease while this fetcher works, and the back-off
    /// when it fails), then the caller commits and fetches outside any transaction. `SKIP LOCKED`: several fetchers
    /// never take the same compose. `only` restricts the claim to those compose ids.
    @available(*, noasync, message: "libpq blocks")
    public func claimFetches(limit: Int, maxAttempts: Int, retryAfterSeconds: Int, only: [String]? = nil)
        throws(KilnStoreError)
        -> [PendingFetch]
    {
        let r = try connection.query(
            """
            SELECT c.id, c.compose_id, c.compose_url, coalesce(cc.fetch_attempts, 0) AS fetch_attempts
            FROM cts_composes c LEFT JOIN cts_compose_contents cc ON cc.compose_key = c.id
            WHERE c.compose_url IS NOT NULL
              AND (\(only.map(PGArray.text))::text[] IS NULL OR c.compose_id = ANY(\(only.map(PGArray.text))::text[]))
              AND (cc.compose_key IS NULL
                   OR (cc.source IS NULL AND cc.fetch_attempts < \(maxAttempts) AND cc.next_fetch_at <= now() AT TIME
                       ZONE 'utc'))
            ORDER BY c.id LIMIT \(limit)
            FOR UPDATE OF c SKIP LOCKED
            """)
        var out: [PendingFetch] = []
        for row in r.rows {
            let fetch = PendingFetch(
                key: try row.decode("id"), composeID: try row.decode("compose_id"),
                composeURL: try row.decode("compose_url"),
                attempts: try row.decode("fetch_attempts", as: Int.self) + 1)
            try connection.query(
                """
                INSERT INTO cts_compose_contents (compose_key, fetch_attempts, next_fetch_at)
                VALUES (\(fetch.key), 1, now() AT TIME ZONE 'utc' + make_interval(secs =>
                    \(retryAfterSeconds)::integer))
                ON CONFLICT (compose_key) DO UPDATE SET fetch_attempts = cts_compose_contents.fetch_attempts + 1,
                    next_fetch_at = EXCLUDED.next_fetch_at
                """)
            out.append(fetch)
        }
        return out
    }

    /// Records why a claimed fetch failed (the attempt was counted when it was claimed).
    @available(*, noasync, message: "libpq blocks")
    public func recordFetchFailure(key: Int64, error: String) throws(KilnStoreError) {
        try connection.query(
            "UPDATE cts_compose_contents SET fetch_error = \(error) WHERE compose_key = \(key) AND source IS NULL")
    }

    /// Stores a fetched list unless the compose got one meanwhile (uploaded); true when stored.
    @available(*, noasync, message: "libpq blocks")
    public func storeFetched(key: Int64, contents: ComposeContents) throws(KilnStoreError) -> Bool {
        // The compose row first, as every other writer of a tracked compose takes it.
        _ = try connection.query("SELECT 1 FROM cts_composes WHERE id = \(key) FOR NO KEY UPDATE")
        let r = try connection.query("SELECT source FROM cts_compose_contents WHERE compose_key = \(key) FOR UPDATE")
        if let row = r.first, try !row.isNull("source") { return false }
        try replace(key: key, with: contents, source: .fetched, by: nil)
        return true
    }

    /// Asks for compose `key`'s list to be fetched again (after `set_url`), unless it already has one.
    @available(*, noasync, message: "libpq blocks")
    public func scheduleFetch(key: Int64) throws(KilnStoreError) {
        try connection.query(
            """
            UPDATE cts_compose_contents SET fetch_attempts = 0, fetch_error = NULL,
                next_fetch_at = now() AT TIME ZONE 'utc'
            WHERE compose_key = \(key) AND source IS NULL
            """)
    }
}

extension TrackingStore {
    /// `rpm_nvr` (unless the page walks its RPMs) and `rpm_name` conditions for the compose list: the compose holds
    /// such an RPM in any arch.
    static func contentConditions(_ query: TrackedComposeQuery, includingNVR: Bool) -> [SQLQuery] {
        var conditions: [SQLQuery] = []
        if includingNVR, let nvr = query.rpmNVR {
            conditions.append(
                """
                c.id IN (SELECT cr.compose_key FROM cts_compose_rpms cr JOIN cts_rpms r ON r.id = cr.rpm_id
                    WHERE \(inline: nvrMatch(nvr)))
                """)
        }
        if let name = query.rpmName {
            conditions.append(
                """
                c.id IN (SELECT cr.compose_key FROM cts_compose_rpms cr JOIN cts_rpms r ON r.id = cr.rpm_id
                    WHERE r.name = \(name))
                """)
        }
        return conditions
    }

    /// `r.name = ... AND r.version = ... AND r.release = ...` (and the epoch when given) on `cts_rpms r`.
    static func nvrMatch(_ nvr: RPMNVR) -> SQLQuery {
        var match: SQLQuery = "r.name = \(nvr.name) AND r.version = \(nvr.version) AND r.release = \(nvr.release)"
        if let epoch = nvr.epoch { match += " AND r.epoch = \(String(epoch))::integer" }
        return match
    }

    /// ` AND <date> > date_after AND <date> < date_before`, for the bounds the list has.
    static func dateBounds(_ query: TrackedComposeQuery, on date: SQLQuery) -> SQLQuery {
        var bounds: SQLQuery = ""
        if let d = query.dateAfter { bounds += " AND \(inline: date) > \(d)" }
        if let d = query.dateBefore { bounds += " AND \(inline: date) < \(d)" }
        return bounds
    }
}

extension TrackingStore {
    /// The total of a list whose only filter is one tag, one `rpm_nvr` or one `rpm_name`, with or without
    /// `date_after`/`date_before`, counted in the link table alone (an index-only scan, the date bounds a range of it:
    /// link rows carry their compose's date, migration 0008) instead of joining every matching compose: the same
    /// number, several times faster when tens of thousands of composes match. Nil for any other list.
    static func linkCount(_ query: TrackedComposeQuery) -> SQLQuery? {
        guard query.filters.isEmpty else { return nil }
        switch (query.tagFilter, query.rpmNVR, query.rpmName) {
        case (.tags(let required, let excluded)?, nil, nil) where required.count == 1 && excluded.isEmpty:
            return "SELECT count(*) FROM cts_compose_tags ct JOIN cts_tags t ON t.id = ct.tag_id"
                + " WHERE t.name = \(required[0])"
                + dateBounds(query, on: "ct.compose_date")
        case (nil, let nvr?, nil):
            return "SELECT count(DISTINCT cr.compose_key) FROM cts_compose_rpms cr JOIN cts_rpms r ON r.id = cr.rpm_id"
                + " WHERE " + nvrMatch(nvr) + dateBounds(query, on: "cr.compose_date")
        case (nil, nil, let name?):
            return "SELECT count(DISTINCT cr.compose_key) FROM cts_compose_rpms cr JOIN cts_rpms r ON r.id = cr.rpm_id"
                + " WHERE r.name = \(name)" + dateBounds(query, on: "cr.compose_date")
        default:
            return nil
        }
    }
}
