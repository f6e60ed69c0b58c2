public import KilnCore

/// SQL for the `composes` table. Every function runs on the connection it is given, inside the caller's
/// transaction when there is one.
public struct ComposeStore {
    public let connection: PGConnection

    public init(_ connection: PGConnection) { self.connection = connection }

    static let now: SQLQuery = "date_trunc('second', now() AT TIME ZONE 'utc')"

    /// The select list `decode` reads; `full` adds `pungi_config_dump` (list pages never show it).
    static func columns(full: Bool = true) -> SQLQuery {
        let configDump: SQLQuery = full ? "pungi_config_dump, " : ""
        return """
            id, owner, source_type, source, modular_koji_tags, module_defaults_url, koji_event, sigkeys, state,
                state_reason,
            results, packages, builds, flags, extract(epoch FROM time_to_expire)::bigint AS time_to_expire,
            extract(epoch FROM time_submitted)::bigint AS time_submitted,
            extract(epoch FROM time_started)::bigint AS time_started,
            extract(epoch FROM time_done)::bigint AS time_done, extract(epoch FROM time_removed)::bigint AS
                time_removed,
            removed_by, reused_id, koji_task_id, arches, multilib_arches, multilib_method, lookaside_repos, label,
                compose_type,
            pungi_compose_id, \(inline: configDump)target_dir, scratch_modules, scratch_build_tasks,
            parent_pungi_compose_ids, modules, respin_of, base_module_br_name, base_module_br_stream,
            base_module_br_stream_version_lte, base_module_br_stream_version_gte, progress_phase, progress_done,
            progress_total, size_bytes
            """
    }

    static func decode(_ row: PGRow) throws(KilnStoreError) -> Compose {
        var c = Compose(
            id: try row.decode("id"), owner: try row.decode("owner"), sourceType: try row.decode("source_type"),
            source: try row.decode("source"), state: try row.decode("state"), results: try row.decode("results"),
            flags: try row.decode("flags", as: ComposeFlags?.self) ?? [],
            timeToExpire: try row.decode("time_to_expire"), timeSubmitted: try row.decode("time_submitted"))
        c.modularKojiTags = try row.decode("modular_koji_tags", as: String?.self)
        c.moduleDefaultsURL = try row.decode("module_defaults_url", as: String?.self)
        c.kojiEvent = try row.decode("koji_event", as: Int64?.self)
        c.sigkeys = try row.decode("sigkeys", as: String?.self)
        c.stateReason = try row.decode("state_reason", as: String?.self)
        c.packages = try row.decode("packages", as: String?.self)
        c.builds = try row.decode("builds", as: String?.self)
        c.timeStarted = try row.decode("time_started", as: Timestamp?.self)
        c.timeDone = try row.decode("time_done", as: Timestamp?.self)
        c.timeRemoved = try row.decode("time_removed", as: Timestamp?.self)
        c.removedBy = try row.decode("removed_by", as: String?.self)
        c.reusedID = try row.decode("reused_id", as: Int64?.self)
        c.kojiTaskID = try row.decode("koji_task_id", as: Int64?.self)
        c.arches = try row.decode("arches", as: String?.self)
        c.multilibArches = try row.decode("multilib_arches", as: String?.self)
        c.multilibMethod = try row.decode("multilib_method", as: MultilibMethod?.self) ?? MultilibMethod(rawValue: 0)
        c.lookasideRepos = try row.decode("lookaside_repos", as: String?.self)
        c.label = try row.decode("label", as: String?.self)
        c.composeType = try row.decode("compose_type", as: String?.self)
        c.pungiComposeID = try row.decode("pungi_compose_id", as: String?.self)
        if row.contains("pungi_config_dump") {
            c.pungiConfigDump = try row.decode("pungi_config_dump", as: String?.self)
        }
        c.targetDir = try row.decode("target_dir", as: String?.self)
        c.scratchModules = try row.decode("scratch_modules", as: String?.self)
        c.scratchBuildTasks = try row.decode("scratch_build_tasks", as: String?.self)
        c.parentPungiComposeIDs = try row.decode("parent_pungi_compose_ids", as: String?.self)
        c.modules = try row.decode("modules", as: String?.self)
        c.respinOf = try row.decode("respin_of", as: String?.self)
        c.baseModuleBRName = try row.decode("base_module_br_name", as: String?.self)
        c.baseModuleBRStream = try row.decode("base_module_br_stream", as: String?.self)
        c.baseModuleBRStreamVersionLTE = try row.decode("base_module_br_stream_version_lte", as: Int64?.self)
        c.baseModuleBRStreamVersionGTE = try row.decode("base_module_br_stream_version_gte", as: Int64?.self)
        if let phase = try row.decode("progress_phase", as: String?.self) {
            c.progress = Compose.Progress(
                phase: phase, done: try row.decode("progress_done", as: Int?.self) ?? 0,
                total: try row.decode("progress_total", as: Int?.self) ?? 0)
        }
        c.sizeBytes = try row.decode("size_bytes", as: Int64?.self)
        return c
    }

    /// Inserts a new compose in `wait`, submitted now and expiring `secondsToLive` later; returns it as stored.
    @available(*, noasync, message: "libpq blocks")
    public func insert(_ c: Compose, secondsToLive: Int64) throws(KilnStoreError) -> Compose {
        let q: SQLQuery = """
            INSERT INTO composes (owner, source_type, source, modular_koji_tags, module_defaults_url, koji_event,
                sigkeys,
                state, results, packages, builds, flags, time_submitted, time_to_expire, arches, multilib_arches,
                multilib_method, lookaside_repos, label, compose_type, pungi_config_dump, target_dir, scratch_modules,
                scratch_build_tasks, parent_pungi_compose_ids, modules, respin_of, base_module_br_name,
                    base_module_br_stream,
                base_module_br_stream_version_lte, base_module_br_stream_version_gte)
            VALUES (\(c.owner), \(c.sourceType.rawValue), \(c.source), \(c.modularKojiTags), \(c.moduleDefaultsURL),
                \(c.kojiEvent), \(c.sigkeys), \(ComposeState.wait.rawValue), \(c.results.rawValue), \(c.packages),
                    \(c.builds),
                \(c.flags.rawValue), date_trunc('second', now() AT TIME ZONE 'utc'),
                date_trunc('second', now() AT TIME ZONE 'utc') + make_interval(secs => \(secondsToLive)),
                \(c.arches), \(c.multilibArches), \(c.multilibMethod.rawValue), \(c.lookasideRepos), \(c.label),
                \(c.composeType), \(c.pungiConfigDump), \(c.targetDir), \(c.scratchModules), \(c.scratchBuildTasks),
                \(c.parentPungiComposeIDs), \(c.modules), \(c.respinOf), \(c.baseModuleBRName), \(c.baseModuleBRStream),
                \(c.baseModuleBRStreamVersionLTE), \(c.baseModuleBRStreamVersionGTE))
            RETURNING id
            """
        let id = try connection.query(q).value("id", as: Int64.self)
        guard let stored = try get(id: id) else { throw KilnStoreError(.query, "inserted compose \(id) vanished") }
        return stored
    }

    @available(*, noasync, message: "libpq blocks")
    public func get(id: Int64, forUpdate: Bool = false) throws(KilnStoreError) -> Compose? {
        let lock: SQLQuery = forUpdate ? " FOR UPDATE" : ""
        let r = try connection.query("SELECT \(inline: Self.columns()) FROM composes WHERE id = \(id)\(inline: lock)")
        return try r.first.map { row throws(KilnStoreError) in try Self.decode(row) }
    }

    /// One page of composes matching `query`, and the total count.
    @available(*, noasync, message: "libpq blocks")
    public func list(_ query: ComposeListQuery) throws(KilnStoreError) -> Page<Compose> {
        let perPage = query.perPage
        guard !query.matchesNothing else { return Page(items: [], page: query.page, perPage: perPage, total: 0) }
        // (An empty answer decided without the database carries no version and is never cached.)
        var conditions: [SQLQuery] = []
        var stateFilter: ComposeState?
        var typeFilter: SourceType?
        var onlyCountable = true
        for filter in query.filters {
            switch filter {
            case .owner(let v):
                conditions.append("owner = \(v)")
                onlyCountable = false
            case .source(let v):
                conditions.append("source = \(v)")
                onlyCountable = false
            case .pungiComposeID(let v):
                conditions.append("pungi_compose_id = \(v)")
                onlyCountable = false
            case .composeType(let v):
                conditions.append("compose_type = \(v)")
                onlyCountable = false
            case .label(let v):
                conditions.append("label = \(v)")
                onlyCountable = false
            case .kojiTaskID(let v):
                conditions.append("koji_task_id = \(v)")
                onlyCountable = false
            case .state(let s):
                if let stateFilter, stateFilter != s {
                    return Page(items: [], page: query.page, perPage: perPage, total: 0)
                }
                stateFilter = s
                // Enum values, never request text: written inline so each state gets a plan made for its rows.
                conditions.append("state = \(literal: s.rawValue)")
            case .sourceType(let t):
                if let typeFilter, typeFilter != t {
                    return Page(items: [], page: query.page, perPage: perPage, total: 0)
                }
                typeFilter = t
                conditions.append("source_type = \(literal: t.rawValue)")
            }
        }
        let whereClause = SQLQuery.where(conditions)
        let total: SQLQuery
        if onlyCountable {
            var count: SQLQuery = "SELECT coalesce(sum(count), 0)::bigint FROM compose_counts WHERE true"
            if let stateFilter { count += " AND state = \(literal: stateFilter.rawValue)" }
            if let typeFilter { count += " AND source_type = \(literal: typeFilter.rawValue)" }
            total = count
        } else {
            total = "SELECT count(*) FROM composes" + whereClause
        }
        let direction: SQLQuery = query.descending ? "DESC" : "ASC"
        let sortKey: SQLQuery = "\(identifier: query.orderKey.rawValue)"
        var order: SQLQuery =
            query.orderKey == .id
            ? "id \(inline: direction)" : "\(inline: sortKey) \(inline: direction) NULLS LAST, id \(inline: direction)"
        // With an equality filter on state (or owner), ordering by it first changes nothing in the result but lets
        // the planner walk the (state, id) / (owner, id) index instead of filtering the primary key.
        if query.orderKey == .id {
            if stateFilter != nil {
                order = "state \(inline: direction), " + order
            } else if query.filters.contains(where: { if case .owner = $0 { true } else { false } }) {
                order = "owner \(inline: direction), " + order
            }
        }
        // One round trip: the total and the page together; the LEFT JOIN keeps the total when the page is empty.
        // The page's ids come first from an index-only scan of (state, id) / (owner, id); selecting whole rows
        // there instead lets the planner walk the primary key and filter, slow exactly when the newest composes
        // are of another state. LIMIT and OFFSET are our own integers, written inline for the same reason.
        let offset = max(0, (query.page - 1) * perPage)
        let r = try connection.query(
            """
            SELECT t.total, (SELECT version FROM compose_version) AS version, p.* FROM (\(inline: total)) AS t (total)
            LEFT JOIN LATERAL (
                SELECT \(inline: Self.columns(full: false)), \(inline: sortKey) AS sort_key, id AS sort_id FROM composes
                JOIN (
                    SELECT id FROM composes\(inline: whereClause) ORDER BY \(inline: order)
                    LIMIT \(literal: perPage) OFFSET \(literal: offset)
                ) AS page USING (id)
            ) AS p ON true
            ORDER BY p.sort_key \(inline: direction) NULLS LAST, p.sort_id \(inline: direction)
            """)
        let count = try r.value("total", as: Int.self)
        var items: [Compose] = []
        items.reserveCapacity(r.rowCount)
        for row in r.rows where !(try row.isNull("id")) { items.append(try Self.decode(row)) }
        var page = Page(items: items, page: query.page, perPage: perPage, total: count)
        page.version = try r.first?.decode("version", as: Int64?.self) ?? nil
        return page
    }

    /// The number every change to `composes` bumps (in the changing transaction).
    @available(*, noasync, message: "libpq blocks")
    public func version() throws(KilnStoreError) -> Int64 {
        try connection.query("SELECT version FROM compose_version").value("version")
    }

    /// Moves a compose to a new state the way ODCS's `transition` does: the matching time column is set, and on
    /// done/failed the time to live counts again from now.
    @available(*, noasync, message: "libpq blocks")
    public func transition(id: Int64, to state: ComposeState, reason: String?) throws(KilnStoreError) -> Compose {
        let timeColumn: SQLQuery
        switch state {
        case .generating: timeColumn = ", time_started = \(inline: Self.now)"
        case .done: timeColumn = ", time_done = \(inline: Self.now)"
        case .removed: timeColumn = ", time_removed = \(inline: Self.now)"
        default: timeColumn = ""
        }
        let ttl: SQLQuery =
            state == .done || state == .failed
            ? ", time_to_expire = \(inline: Self.now) + (time_to_expire - time_submitted)" : ""
        try connection.query(
            """
            UPDATE composes SET state = \(state.rawValue), state_reason = \(reason)\(inline: timeColumn)\(inline: ttl)
            WHERE id = \(id)
            """)
        guard let compose = try get(id: id) else { throw KilnStoreError(.query, "compose \(id) vanished") }
        return compose
    }

    /// DELETE of a done/failed compose: it expires now; the expire job removes it.
    @available(*, noasync, message: "libpq blocks")
    public func markExpired(id: Int64, removedBy: String) throws(KilnStoreError) {
        try connection.query(
            "UPDATE composes SET time_to_expire = date_trunc('second', now() AT TIME ZONE 'utc'), removed_by = "
                + "\(removedBy) WHERE id = \(id)"
        )
    }

    /// Extends the expiry of a compose, the compose it reuses and the composes reusing it to at least now + seconds;
    /// never shortens.
    @available(*, noasync, message: "libpq blocks")
    public func extend(id: Int64, reusedID: Int64?, secondsToLive: Int64) throws(KilnStoreError) {
        try connection.query(
            """
            UPDATE composes
            SET time_to_expire = greatest(time_to_expire, date_trunc('second',
                now() AT TIME ZONE 'utc') + make_interval(secs => \(secondsToLive)))
            WHERE id = \(id) OR reused_id = \(id) OR id = \(reusedID)
            """)
    }

    /// Live counts per (source type, state) from the trigger-kept table.
    @available(*, noasync, message: "libpq blocks")
    public func countsByTypeAndState() throws(KilnStoreError) -> [SourceType: [ComposeState: Int64]] {
        let r = try connection.query("SELECT source_type, state, count FROM compose_counts")
        var counts: [SourceType: [ComposeState: Int64]] = [:]
        for row in r.rows {
            guard let t = SourceType(rawValue: try row.decode("source_type")),
                let s = ComposeState(rawValue: try row.decode("state"))
            else { continue }
            counts[t, default: [:]][s] = try row.decode("count", as: Int64.self)
        }
        return counts
    }
}
