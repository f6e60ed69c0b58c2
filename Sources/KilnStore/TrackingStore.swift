public import KilnCore

/// SQL for compose tracking (`cts_*` tables, migration 0005). Every function runs on the connection it is given,
/// inside the caller's transaction; every change writes its CTS message to the outbox in that transaction.
public struct TrackingStore {
    public let connection: PGConnection

    public init(_ connection: PGConnection) { self.connection = connection }

    /// The tags, on the same connection.
    public var tags: TagStore { TagStore(connection) }

    /// The select list `decode` reads, in order, for `cts_composes c`.
    static let columns: SQLQuery = """
        c.id, c.compose_id, c.date, c.respin, c.type, c.label, c.final, c.release_name, c.release_version,
            c.release_short,
        c.release_is_layered, c.release_type, c.release_internal, c.base_product_name, c.base_product_short,
        c.base_product_version, c.base_product_type, c.builder, c.compose_url,
        (SELECT r.compose_id FROM cts_composes r WHERE r.id = c.respin_of) AS respin_of,
        (SELECT coalesce(json_agg(t.name ORDER BY ct.position), '[]')::text
            FROM cts_compose_tags ct JOIN cts_tags t ON t.id = ct.tag_id WHERE ct.compose_id = c.id) AS tags,
        (SELECT coalesce(json_agg(p.compose_id ORDER BY l.position), '[]')::text
            FROM cts_compose_parents l JOIN cts_composes p ON p.id = l.parent_id WHERE l.child_id = c.id) AS parents,
        (SELECT coalesce(json_agg(k.compose_id ORDER BY l.position), '[]')::text
            FROM cts_compose_parents l JOIN cts_composes k ON k.id = l.child_id WHERE l.parent_id = c.id) AS children,
        (SELECT coalesce(json_agg(s.compose_id ORDER BY s.id), '[]')::text FROM cts_composes s WHERE s.respin_of = c.id)
            AS respun_by
        """

    static func decode(_ row: PGRow) throws(KilnStoreError) -> TrackedCompose {
        let composeID: String = try row.decode("compose_id")
        var base: ComposeInfo.BaseProduct?
        if let name = try row.decode("base_product_name", as: String?.self),
            let short = try row.decode("base_product_short", as: String?.self),
            let version = try row.decode("base_product_version", as: String?.self)
        {
            base = ComposeInfo.BaseProduct(
                name: name, short: short, version: version,
                type: try row.decode("base_product_type", as: String?.self) ?? "ga")
        }
        let info = ComposeInfo(
            id: composeID, date: try row.decode("date"), type: try row.decode("type"), respin: try row.decode("respin"),
            label: try row.decode("label", as: String?.self), isFinal: try row.decode("final", as: Bool?.self) ?? false,
            release: ComposeInfo.Release(
                name: try row.decode("release_name"), short: try row.decode("release_short"),
                version: try row.decode("release_version"),
                type: try row.decode("release_type", as: String?.self) ?? "ga",
                isLayered: try row.decode("release_is_layered", as: Bool?.self) ?? false,
                isInternal: try row.decode("release_internal", as: Bool?.self) ?? false),
            baseProduct: base)
        return TrackedCompose(
            key: try row.decode("id"), composeID: composeID, info: info, builder: try row.decode("builder"),
            composeURL: try row.decode("compose_url", as: String?.self), tags: try row.decodeStrings("tags"),
            parents: try row.decodeStrings("parents"), children: try row.decodeStrings("children"),
            respinOf: try row.decode("respin_of", as: String?.self), respunBy: try row.decodeStrings("respun_by"))
    }

    // MARK: Composes

    @available(*, noasync, message: "libpq blocks")
    public func compose(id: String, forUpdate: Bool = false) throws(KilnStoreError) -> TrackedCompose? {
        // NO KEY: foreign-key checks (KEY SHARE) do not wait on it.
        let lock: SQLQuery = forUpdate ? " FOR NO KEY UPDATE OF c" : ""
        let r = try connection.query(
            "SELECT \(inline: Self.columns) FROM cts_composes c WHERE c.compose_id = \(id)\(inline: lock)")
        return try r.first.map { row throws(KilnStoreError) in try Self.decode(row) }
    }

    @available(*, noasync, message: "libpq blocks")
    public func compose(key: Int64) throws(KilnStoreError) -> TrackedCompose? {
        let r = try connection.query("SELECT \(inline: Self.columns) FROM cts_composes c WHERE c.id = \(key)")
        return try r.first.map { row throws(KilnStoreError) in try Self.decode(row) }
    }

    /// The variants a `.repo` file may be made for: those imported with the compose, or, for a compose imported
    /// before they were kept, those of its recorded RPM list.
    @available(*, noasync, message: "libpq blocks")
    public func variants(of compose: TrackedCompose) throws(KilnStoreError) -> [String] {
        let r = try connection.query(
            """
            SELECT to_json(coalesce(c.variants, ARRAY(SELECT DISTINCT t.variant FROM cts_compose_rpms cr
                JOIN cts_trees t ON t.id = cr.tree_id WHERE cr.compose_key = c.id)))::text AS variants
            FROM cts_composes c WHERE c.id = \(compose.key)
            """)
        guard let row = r.first, try !row.isNull("variants") else { return [] }
        return (try? row.decodeStrings("variants")) ?? []
    }

    private func key(of composeID: String) throws(KilnStoreError) -> Int64? {
        let r = try connection.query("SELECT id FROM cts_composes WHERE compose_id = \(composeID)")
        return try r.first?.decode("id")
    }

    /// Hands out the next respin of (release short, version, date): at least `atLeast`, and above every respin
    /// handed out before. Inside a transaction the counter row stays locked until it ends (see migration 0005).
    @available(*, noasync, message: "libpq blocks")
    public func nextRespin(short: String, version: String, date: String, atLeast: Int) throws(KilnStoreError) -> Int {
        let r = try connection.query(
            """
            INSERT INTO cts_respins (release_short, release_version, date, last_respin) VALUES (\(short), \(version),
                \(date), \(atLeast))
            ON CONFLICT (release_short, release_version, date)
            DO UPDATE SET last_respin = greatest(cts_respins.last_respin + 1, EXCLUDED.last_respin)
            RETURNING last_respin
            """)
        return try r.value("last_respin")
    }

    /// Makes sure the counter is at least `respin` (for a respin taken with `nextRespin` earlier).
    private func claimRespin(short: String, version: String, date: String, respin: Int) throws(KilnStoreError) {
        try connection.query(
            """
            INSERT INTO cts_respins (release_short, release_version, date, last_respin) VALUES (\(short), \(version),
                \(date), \(respin))
            ON CONFLICT (release_short, release_version, date)
            DO UPDATE SET last_respin = greatest(cts_respins.last_respin, EXCLUDED.last_respin)
            """)
    }

    public struct ImportOutcome: Sendable {
        public var compose: TrackedCompose
        /// Parents and `respin_of` that were not tracked and so not linked (only with `skipUnknownRelations`).
        public var skippedRelations: [String]
    }

    /// Imports a compose (CTS's `Compose.create`), in the caller's transaction. Its id is productmd's
    /// `create_compose_id()` with the first respin the counter gives at or above the requested one. With
    /// `exactRespin`, the requested respin (taken with `nextRespin` before) is used as it is. Unknown parents or
    /// `respin_of` are a 400 error, or are skipped with `skipUnknownRelations`.
    @available(*, noasync, message: "libpq blocks")
    public func importCompose(
        _ request: ComposeImportRequest, builder: String, odcsComposeID: Int64? = nil, exactRespin: Bool = false,
        skipUnknownRelations: Bool = false
    ) throws -> ImportOutcome {
        var skipped: [String] = []
        var parentKeys: [Int64] = []
        for parent in request.parentComposeIDs {
            if let k = try key(of: parent) {
                parentKeys.append(k)
            } else if skipUnknownRelations {
                skipped.append(parent)
            } else {
                throw ComposeError.invalid("Cannot find parent compose with id \(parent).")
            }
        }
        var respinOfKey: Int64?
        if let respinOf = request.respinOf {
            respinOfKey = try key(of: respinOf)
            if respinOfKey == nil {
                if skipUnknownRelations {
                    skipped.append(respinOf)
                } else {
                    throw ComposeError.invalid("Cannot find respin_of compose with id \(respinOf).")
                }
            }
        }
        let userID = try UserStore(connection).ensure(username: builder)
        let info = request.info
        let release = info.release
        var requested = info.respin
        var key: Int64?
        // Another release can spell the same id ("A-B" version "1" and "A" version "B-1"): then take the next respin.
        for _ in 0..<100 {
            let respin: Int
            if exactRespin {
                respin = requested
                try claimRespin(short: release.short, version: release.version, date: info.date, respin: respin)
            } else {
                respin = try nextRespin(
                    short: release.short, version: release.version, date: info.date, atLeast: requested)
            }
            let id = info.composeID(respin: respin).description
            key = try insertAttempt(
                info, id: id, respin: respin, builder: builder, respinOf: respinOfKey, url: request.composeURL,
                odcsComposeID: odcsComposeID, retryOnConflict: !exactRespin)
            if key != nil { break }
            requested = respin + 1
        }
        guard let key else { throw KilnStoreError(.query, "no free compose id for \(info.composeID().description)") }
        for parent in parentKeys {
            try connection.query(
                "INSERT INTO cts_compose_parents (parent_id, child_id) VALUES (\(parent), "
                    + "\(key)) ON CONFLICT DO NOTHING"
            )
        }
        try connection.query(
            "INSERT INTO cts_compose_changes (compose_id, action, user_id) VALUES (\(key), 'created', \(userID))")
        guard let stored = try compose(key: key) else { throw KilnStoreError(.query, "imported compose vanished") }
        try announce("compose-created", stored, agent: builder)
        for linked in parentKeys + (respinOfKey.map { [$0] } ?? []) {
            if let other = try compose(key: linked) { try announce("compose-changed", other, agent: builder) }
        }
        return ImportOutcome(compose: stored, skippedRelations: skipped)
    }

    /// One INSERT under a savepoint; nil when the id or the release/date/respin was taken and `retryOnConflict`.
    private func insertAttempt(
        _ info: ComposeInfo, id: String, respin: Int, builder: String, respinOf: Int64?, url: String?,
        odcsComposeID: Int64?,
        retryOnConflict: Bool
    ) throws(KilnStoreError) -> Int64? {
        let release = info.release
        let base = release.isLayered ? info.baseProduct : nil
        try connection.execute("SAVEPOINT cts_import")
        let r: PGResult
        do {
            r = try connection.query(
                """
                INSERT INTO cts_composes (compose_id, date, respin, type, label, final, release_name, release_version,
                    release_short, release_is_layered, release_type, release_internal, base_product_name,
                        base_product_short,
                    base_product_version, base_product_type, builder, respin_of, compose_url, odcs_compose_id, variants)
                VALUES (\(id), \(info.date), \(respin), \(info.type.rawValue), \(info.label), \(info.isFinal),
                    \(release.name),
                    \(release.version), \(release.short), \(release.isLayered), \(release.type), \(release.isInternal),
                    \(base?.name), \(base?.short), \(base?.version), \(base?.type), \(builder), \(respinOf), \(url),
                    \(odcsComposeID), \(PGArray.text(info.variants.keys.sorted()))::varchar[])
                RETURNING id
                """)
        } catch {
            guard retryOnConflict, error.sqlState == "23505" else { throw error }
            try connection.execute("ROLLBACK TO SAVEPOINT cts_import")
            return nil
        }
        try connection.execute("RELEASE SAVEPOINT cts_import")
        return try r.value("id")
    }

    /// set_url: no change record (as CTS), a compose-changed message.
    @available(*, noasync, message: "libpq blocks")
    public func setURL(_ url: String, of compose: TrackedCompose, user: String) throws(KilnStoreError) -> TrackedCompose
    {
        try connection.query("UPDATE cts_composes SET compose_url = \(url) WHERE id = \(compose.key)")
        guard let updated = try self.compose(key: compose.key) else { throw KilnStoreError(.query, "compose vanished") }
        try announce("compose-changed", updated, agent: user)
        return updated
    }

    @available(*, noasync, message: "libpq blocks")
    public func changes(of compose: TrackedCompose) throws(KilnStoreError) -> [TrackingChange] {
        try Self.changes(
            connection.query(
                """
                SELECT extract(epoch FROM h.time)::bigint AS time, h.action, u.username, h.message, h.user_data
                FROM cts_compose_changes h JOIN users u ON u.id = h.user_id WHERE h.compose_id = \(compose.key)
                    ORDER BY h.time, h.id
                """))
    }

    /// Change records (`time`, `action`, `username`, `message`, `user_data` columns), of a compose or a tag.
    static func changes(_ r: PGResult) throws(KilnStoreError) -> [TrackingChange] {
        var out: [TrackingChange] = []
        for row in r.rows {
            out.append(
                TrackingChange(
                    time: try row.decode("time"), action: try row.decode("action"), user: try row.decode("username"),
                    message: try row.decode("message", as: String?.self),
                    userData: try row.decode("user_data", as: String?.self)))
        }
        return out
    }

    func announce(_ event: String, _ compose: TrackedCompose, agent: String, extra: [(String, JSON)] = [])
        throws(KilnStoreError)
    {
        try OutboxStore(connection).append(.tracking(event, compose, agent: agent, extra: extra))
    }

    /// One page of composes matching `query`. Ordered by date first, the page walks a tag's or an `rpm_nvr`
    /// build's link rows in date order (see `DateWalk`); the total counts with every filter as a plain condition.
    @available(*, noasync, message: "libpq blocks")
    public func list(_ query: TrackedComposeQuery) throws(KilnStoreError) -> Page<TrackedCompose> {
        let walk = try dateWalk(for: query)
        if walk == .nothing { return Page(items: [], page: query.page, perPage: query.perPage, total: 0) }
        let count = "SELECT count(*) AS count FROM cts_composes c" + SQLQuery.where(Self.conditions(query, walked: nil))
        let total: Int = try connection.query(Self.linkCount(query) ?? count).value("count")
        var items: [TrackedCompose] = []
        if query.perPage > 0 {
            let from = walk?.from(query) ?? "cts_composes c"
            let whereClause = SQLQuery.where(Self.conditions(query, walked: walk))
            let order =
                query.order.map { o -> SQLQuery in
                    let key: SQLQuery =
                        switch o.field {
                        // The walked rows carry the compose's date (the foreign key keeps it equal to c.date), and are
                        // in its order already: only composes of the same date are sorted.
                        case .date where walk != nil: "m.compose_date"
                        case .releaseVersion:
                            "array_remove(string_to_array(regexp_replace(c.release_version, '[^0-9.]', '', "
                                + "'g'), '.'), '')::numeric[]"
                        default: Self.column(o.field)
                        }
                    return key + (o.descending ? " DESC" : " ASC")
                } + ["c.id DESC"]
            let q: SQLQuery = """
                SELECT \(inline: Self.columns) FROM \(inline: from)\(inline: whereClause)
                ORDER BY \(inline: order.joined(separator: ", "))
                LIMIT \(literal: query.perPage) OFFSET \(literal: max(0, (query.page - 1) * query.perPage))
                """
            let r = try connection.query(q)
            for row in r.rows { items.append(try Self.decode(row)) }
        }
        return Page(items: items, page: query.page, perPage: query.perPage, total: total)
    }

    static func column(_ field: TrackedComposeQuery.Field) -> SQLQuery {
        field == .id ? "c.compose_id" : "c.\(identifier: field.rawValue)"
    }

    /// `query`'s filters as conditions on `cts_composes c`, but for the one `walked` stands for.
    static func conditions(_ query: TrackedComposeQuery, walked: DateWalk?) -> [SQLQuery] {
        var conditions: [SQLQuery] = []
        for filter in query.filters {
            let col = column(filter.field)
            switch filter.match {
            case .exact:
                switch filter.field.kind {
                case .text: conditions.append("\(inline: col) = \(filter.value)")
                case .integer: conditions.append("\(inline: col) = \(filter.value)::integer")
                case .boolean: conditions.append("\(inline: col) = \(filter.value)::boolean")
                }
            case .contains, .startsWith, .endsWith:
                var escaped = ""
                for ch in filter.value {
                    if ch == "\\" || ch == "%" || ch == "_" { escaped.append("\\") }
                    escaped.append(ch)
                }
                let pattern =
                    filter.match == .contains
                    ? "%\(escaped)%" : filter.match == .startsWith ? "\(escaped)%" : "%\(escaped)"
                conditions.append("CAST(\(inline: col) AS text) LIKE \(pattern) ESCAPE '\\'")
            }
        }
        if let d = query.dateBefore { conditions.append("c.date < \(d)") }
        if let d = query.dateAfter { conditions.append("c.date > \(d)") }
        switch query.tagFilter {
        case nil: break
        case .untagged?: conditions.append("NOT EXISTS (SELECT 1 FROM cts_compose_tags ct WHERE ct.compose_id = c.id)")
        case .tags(let required, let excluded)?:
            let tagged: SQLQuery =
                "SELECT 1 FROM cts_compose_tags ct JOIN cts_tags t ON t.id = ct.tag_id"
                + " WHERE ct.compose_id = c.id AND t.name = "
            var checked = required[...]
            if case .tag? = walked { checked = checked.dropFirst() } // the walked tag is the first required one
            for name in checked { conditions.append("EXISTS (\(inline: tagged)\(name))") }
            for name in excluded { conditions.append("NOT EXISTS (\(inline: tagged)\(name))") }
        }
        var walkedRPMs = false
        if case .rpms? = walked { walkedRPMs = true }
        conditions += contentConditions(query, includingNVR: !walkedRPMs)
        return conditions
    }
}
