public import KilnCore

/// SQL for the `composes` table. Every function runs on the connection it is given, inside the caller's
/// transaction when there is one.
public struct ComposeStore {
    public let connection: PGConnection

    public init(_ connection: PGConnection) { self.connection = connection }

    static let now = "date_trunc('second', now() AT TIME ZONE 'utc')"

    /// The select list `decode` reads, in order.
    static let columns = """
        id, owner, source_type, source, modular_koji_tags, module_defaults_url, koji_event, sigkeys, state, state_reason,
        results, packages, builds, flags, extract(epoch FROM time_to_expire)::bigint, extract(epoch FROM time_submitted)::bigint,
        extract(epoch FROM time_started)::bigint, extract(epoch FROM time_done)::bigint, extract(epoch FROM time_removed)::bigint,
        removed_by, reused_id, koji_task_id, arches, multilib_arches, multilib_method, lookaside_repos, label, compose_type,
        pungi_compose_id, pungi_config_dump, target_dir, scratch_modules, scratch_build_tasks, parent_pungi_compose_ids,
        modules, respin_of, base_module_br_name, base_module_br_stream, base_module_br_stream_version_lte,
        base_module_br_stream_version_gte, progress_phase, progress_done, progress_total, size_bytes
        """

    /// The same list without `pungi_config_dump` (list pages never show it).
    static let listColumns = columns.split(separator: "pungi_config_dump", maxSplits: 1).joined(separator: "NULL")

    static func decode(_ r: PGResult, _ row: Int, offset: Int = 0) throws(KilnStoreError) -> Compose {
        let r = OffsetRow(result: r, offset: offset)
        func timestamp(_ c: Int) throws(KilnStoreError) -> Timestamp? { try r.int64(row, c).map(Timestamp.init) }
        let sourceTypeValue = try r.requiredInt64(row, 2)
        let stateValue = try r.requiredInt64(row, 8)
        guard let sourceType = SourceType(rawValue: Int(sourceTypeValue)), let state = ComposeState(rawValue: Int(stateValue)) else {
            throw KilnStoreError(.decode, "compose row has source_type \(sourceTypeValue) / state \(stateValue)")
        }
        var c = Compose(
            id: try r.requiredInt64(row, 0), owner: try r.requiredString(row, 1), sourceType: sourceType,
            source: try r.requiredString(row, 3), state: state,
            results: ComposeResults(rawValue: Int(try r.requiredInt64(row, 10))),
            flags: ComposeFlags(rawValue: Int(try r.int64(row, 13) ?? 0)),
            timeToExpire: Timestamp(secondsSinceEpoch: try r.requiredInt64(row, 14)),
            timeSubmitted: Timestamp(secondsSinceEpoch: try r.requiredInt64(row, 15)))
        c.modularKojiTags = r.string(row, 4)
        c.moduleDefaultsURL = r.string(row, 5)
        c.kojiEvent = try r.int64(row, 6)
        c.sigkeys = r.string(row, 7)
        c.stateReason = r.string(row, 9)
        c.packages = r.string(row, 11)
        c.builds = r.string(row, 12)
        c.timeStarted = try timestamp(16)
        c.timeDone = try timestamp(17)
        c.timeRemoved = try timestamp(18)
        c.removedBy = r.string(row, 19)
        c.reusedID = try r.int64(row, 20)
        c.kojiTaskID = try r.int64(row, 21)
        c.arches = r.string(row, 22)
        c.multilibArches = r.string(row, 23)
        c.multilibMethod = MultilibMethod(rawValue: Int(try r.int64(row, 24) ?? 0))
        c.lookasideRepos = r.string(row, 25)
        c.label = r.string(row, 26)
        c.composeType = r.string(row, 27)
        c.pungiComposeID = r.string(row, 28)
        c.pungiConfigDump = r.string(row, 29)
        c.targetDir = r.string(row, 30)
        c.scratchModules = r.string(row, 31)
        c.scratchBuildTasks = r.string(row, 32)
        c.parentPungiComposeIDs = r.string(row, 33)
        c.modules = r.string(row, 34)
        c.respinOf = r.string(row, 35)
        c.baseModuleBRName = r.string(row, 36)
        c.baseModuleBRStream = r.string(row, 37)
        c.baseModuleBRStreamVersionLTE = try r.int64(row, 38)
        c.baseModuleBRStreamVersionGTE = try r.int64(row, 39)
        if let phase = r.string(row, 40) {
            c.progress = Compose.Progress(phase: phase, done: Int(try r.int64(row, 41) ?? 0), total: Int(try r.int64(row, 42) ?? 0))
        }
        c.sizeBytes = try r.int64(row, 43)
        return c
    }

    /// Inserts a new compose in `wait`, submitted now and expiring `secondsToLive` later; returns it as stored.
    @available(*, noasync, message: "libpq blocks")
    public func insert(_ c: Compose, secondsToLive: Int64) throws(KilnStoreError) -> Compose {
        let q: SQLQuery = """
            INSERT INTO composes (owner, source_type, source, modular_koji_tags, module_defaults_url, koji_event, sigkeys,
                state, results, packages, builds, flags, time_submitted, time_to_expire, arches, multilib_arches,
                multilib_method, lookaside_repos, label, compose_type, pungi_config_dump, target_dir, scratch_modules,
                scratch_build_tasks, parent_pungi_compose_ids, modules, respin_of, base_module_br_name, base_module_br_stream,
                base_module_br_stream_version_lte, base_module_br_stream_version_gte)
            VALUES (\(c.owner), \(c.sourceType.rawValue), \(c.source), \(c.modularKojiTags), \(c.moduleDefaultsURL),
                \(c.kojiEvent), \(c.sigkeys), \(ComposeState.wait.rawValue), \(c.results.rawValue), \(c.packages), \(c.builds),
                \(c.flags.rawValue), date_trunc('second', now() AT TIME ZONE 'utc'),
                date_trunc('second', now() AT TIME ZONE 'utc') + make_interval(secs => \(secondsToLive)),
                \(c.arches), \(c.multilibArches), \(c.multilibMethod.rawValue), \(c.lookasideRepos), \(c.label),
                \(c.composeType), \(c.pungiConfigDump), \(c.targetDir), \(c.scratchModules), \(c.scratchBuildTasks),
                \(c.parentPungiComposeIDs), \(c.modules), \(c.respinOf), \(c.baseModuleBRName), \(c.baseModuleBRStream),
                \(c.baseModuleBRStreamVersionLTE), \(c.baseModuleBRStreamVersionGTE))
            RETURNING id
            """
        let id = try connection.query(q).requiredInt64(0, 0)
        guard let stored = try get(id: id) else { throw KilnStoreError(.query, "inserted compose \(id) vanished") }
        return stored
    }

    @available(*, noasync, message: "libpq blocks")
    public func get(id: Int64, forUpdate: Bool = false) throws(KilnStoreError) -> Compose? {
        var q = SQLQuery(unsafeSQL: "SELECT \(Self.columns) FROM composes WHERE id = ")
        q.sql += q.bind(String(id))
        if forUpdate { q.sql += " FOR UPDATE" }
        let r = try connection.query(q)
        return r.rowCount == 0 ? nil : try Self.decode(r, 0)
    }

    /// One page of composes matching `query`, and the total count.
    @available(*, noasync, message: "libpq blocks")
    public func list(_ query: ComposeListQuery) throws(KilnStoreError) -> Page<Compose> {
        let perPage = query.perPage
        guard !query.matchesNothing else { return Page(items: [], page: query.page, perPage: perPage, total: 0) }
        // (An empty answer decided without the database carries no version and is never cached.)
        var q = SQLQuery(unsafeSQL: "")
        var conditions: [String] = []
        var stateFilter: ComposeState?
        var typeFilter: SourceType?
        var onlyCountable = true
        for filter in query.filters {
            switch filter {
            case .owner(let v): conditions.append("owner = \(q.bind(v))"); onlyCountable = false
            case .source(let v): conditions.append("source = \(q.bind(v))"); onlyCountable = false
            case .pungiComposeID(let v): conditions.append("pungi_compose_id = \(q.bind(v))"); onlyCountable = false
            case .composeType(let v): conditions.append("compose_type = \(q.bind(v))"); onlyCountable = false
            case .label(let v): conditions.append("label = \(q.bind(v))"); onlyCountable = false
            case .kojiTaskID(let v): conditions.append("koji_task_id = \(q.bind(String(v)))"); onlyCountable = false
            case .state(let s):
                if let stateFilter, stateFilter != s { return Page(items: [], page: query.page, perPage: perPage, total: 0) }
                stateFilter = s
                // Enum values, never request text: written inline so each state gets a plan made for its rows.
                conditions.append("state = \(s.rawValue)")
            case .sourceType(let t):
                if let typeFilter, typeFilter != t { return Page(items: [], page: query.page, perPage: perPage, total: 0) }
                typeFilter = t
                conditions.append("source_type = \(t.rawValue)")
            }
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let total: String
        if onlyCountable {
            var count = "SELECT coalesce(sum(count), 0)::bigint FROM compose_counts WHERE true"
            if let stateFilter { count += " AND state = \(stateFilter.rawValue)" }
            if let typeFilter { count += " AND source_type = \(typeFilter.rawValue)" }
            total = count
        } else {
            total = "SELECT count(*) FROM composes" + whereClause
        }
        let direction = query.descending ? "DESC" : "ASC"
        let sortKey = query.orderKey.rawValue
        var order = query.orderKey == .id ? "id \(direction)" : "\(sortKey) \(direction) NULLS LAST, id \(direction)"
        // With an equality filter on state (or owner), ordering by it first changes nothing in the result but lets
        // the planner walk the (state, id) / (owner, id) index instead of filtering the primary key.
        if query.orderKey == .id {
            if stateFilter != nil {
                order = "state \(direction), " + order
            } else if query.filters.contains(where: { if case .owner = $0 { true } else { false } }) {
                order = "owner \(direction), " + order
            }
        }
        // One round trip: the total and the page together; the LEFT JOIN keeps the total when the page is empty.
        // The page's ids come first from an index-only scan of (state, id) / (owner, id); selecting whole rows
        // there instead lets the planner walk the primary key and filter, slow exactly when the newest composes
        // are of another state. LIMIT and OFFSET are our own integers, written inline for the same reason.
        let limit = String(perPage)
        let offset = String(max(0, (query.page - 1) * perPage))
        q.sql = """
            SELECT t.total, (SELECT version FROM compose_version), p.* FROM (\(total)) AS t (total)
            LEFT JOIN LATERAL (
                SELECT \(Self.listColumns), \(sortKey) AS sort_key, id AS sort_id FROM composes
                JOIN (SELECT id FROM composes\(whereClause) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)) AS page USING (id)
            ) AS p ON true
            ORDER BY p.sort_key \(direction) NULLS LAST, p.sort_id \(direction)
            """
        let r = try connection.query(q)
        let count = Int(try r.requiredInt64(0, 0))
        var items: [Compose] = []
        items.reserveCapacity(r.rowCount)
        for row in 0..<r.rowCount where !r.isNull(row, 2) { items.append(try Self.decode(r, row, offset: 2)) }
        var page = Page(items: items, page: query.page, perPage: perPage, total: count)
        page.version = try r.int64(0, 1)
        return page
    }

    /// The number every change to `composes` bumps (in the changing transaction).
    @available(*, noasync, message: "libpq blocks")
    public func version() throws(KilnStoreError) -> Int64 {
        try connection.query("SELECT version FROM compose_version").requiredInt64(0, 0)
    }

    /// Moves a compose to a new state the way ODCS's `transition` does: the matching time column is set, and on
    /// done/failed the time to live counts again from now.
    @available(*, noasync, message: "libpq blocks")
    public func transition(id: Int64, to state: ComposeState, reason: String?) throws(KilnStoreError) -> Compose {
        let timeColumn: String
        switch state {
        case .generating: timeColumn = ", time_started = \(Self.now)"
        case .done: timeColumn = ", time_done = \(Self.now)"
        case .removed: timeColumn = ", time_removed = \(Self.now)"
        default: timeColumn = ""
        }
        let ttl = state == .done || state == .failed ? ", time_to_expire = \(Self.now) + (time_to_expire - time_submitted)" : ""
        var q = SQLQuery(unsafeSQL: "")
        q.sql = "UPDATE composes SET state = \(q.bind(String(state.rawValue))), state_reason = \(q.bind(reason))"
            + timeColumn + ttl + " WHERE id = \(q.bind(String(id)))"
        try connection.query(q)
        guard let compose = try get(id: id) else { throw KilnStoreError(.query, "compose \(id) vanished") }
        return compose
    }

    /// DELETE of a done/failed compose: it expires now; the expire job removes it.
    @available(*, noasync, message: "libpq blocks")
    public func markExpired(id: Int64, removedBy: String) throws(KilnStoreError) {
        try connection.query("UPDATE composes SET time_to_expire = date_trunc('second', now() AT TIME ZONE 'utc'), removed_by = \(removedBy) WHERE id = \(id)")
    }

    /// Extends the expiry of a compose, the compose it reuses and the composes reusing it to at least now + seconds;
    /// never shortens.
    @available(*, noasync, message: "libpq blocks")
    public func extend(id: Int64, reusedID: Int64?, secondsToLive: Int64) throws(KilnStoreError) {
        try connection.query("""
            UPDATE composes
            SET time_to_expire = greatest(time_to_expire, date_trunc('second', now() AT TIME ZONE 'utc') + make_interval(secs => \(secondsToLive)))
            WHERE id = \(id) OR reused_id = \(id) OR id = \(reusedID)
            """)
    }

    /// Live counts per (source type, state) from the trigger-kept table.
    @available(*, noasync, message: "libpq blocks")
    public func countsByTypeAndState() throws(KilnStoreError) -> [SourceType: [ComposeState: Int64]] {
        let r = try connection.query("SELECT source_type, state, count FROM compose_counts")
        var counts: [SourceType: [ComposeState: Int64]] = [:]
        for row in 0..<r.rowCount {
            guard let t = SourceType(rawValue: Int(try r.requiredInt64(row, 0))),
                let s = ComposeState(rawValue: Int(try r.requiredInt64(row, 1)))
            else { continue }
            counts[t, default: [:]][s] = try r.requiredInt64(row, 2)
        }
        return counts
    }
}


/// Reads a row's columns shifted by `offset`, so a decoder can serve a select list with leading extras.
struct OffsetRow {
    let result: PGResult
    let offset: Int
    func string(_ row: Int, _ column: Int) -> String? { result.string(row, column + offset) }
    func int64(_ row: Int, _ column: Int) throws(KilnStoreError) -> Int64? { try result.int64(row, column + offset) }
    func requiredString(_ row: Int, _ column: Int) throws(KilnStoreError) -> String { try result.requiredString(row, column + offset) }
    func requiredInt64(_ row: Int, _ column: Int) throws(KilnStoreError) -> Int64 { try result.requiredInt64(row, column + offset) }
}
