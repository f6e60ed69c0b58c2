public import KilnCore

/// SQL for compose tracking's tags (`cts_tags`, their permissions and change records) and for putting them on and
/// taking them off composes. Every function runs on the connection it is given, inside the caller's transaction;
/// tagging writes its CTS message to the outbox in that transaction.
public struct TagStore {
    public let connection: PGConnection

    public init(_ connection: PGConnection) { self.connection = connection }

    var tracking: TrackingStore { TrackingStore(connection) }

    /// Puts a tag on (`.tagger`) or takes it off (`.untagger`); false when nothing changed (no record, no message).
    @available(*, noasync, message: "libpq blocks")
    public func apply(
        _ kind: TrackingTag.Kind, tag: TrackingTag, to compose: TrackedCompose, user: String, userData: String?
    )
        throws(KilnStoreError) -> Bool
    {
        // Every writer of a tracked compose locks its row first (the API already holds it; `kiln promote` does not),
        // so two writers never wait on each other's link rows in opposite orders.
        _ = try connection.query("SELECT 1 FROM cts_composes WHERE id = \(compose.key) FOR NO KEY UPDATE")
        let r: PGResult
        if kind == .tagger {
            // The row carries the compose's date (migration 0008), read from the compose itself.
            r = try connection.query(
                """
                INSERT INTO cts_compose_tags (compose_id, tag_id, compose_date)
                SELECT c.id, \(tag.id), c.date FROM cts_composes c WHERE c.id = \(compose.key)
                ON CONFLICT DO NOTHING
                """)
        } else {
            r = try connection.query(
                "DELETE FROM cts_compose_tags WHERE compose_id = \(compose.key) AND tag_id = \(tag.id)")
        }
        guard r.affectedRows > 0 else { return false }
        let userID = try UserStore(connection).ensure(username: user)
        let action = kind == .tagger ? "tagged" : "untagged"
        let message =
            kind == .tagger
            ? "User \"\(user)\" added \"\(tag.name)\" tag." : "User \"\(user)\" removed \"\(tag.name)\" tag."
        try connection.query(
            """
            INSERT INTO cts_compose_changes (compose_id, action, user_id, message, user_data)
            VALUES (\(compose.key), \(action), \(userID), \(message), \(userData))
            """)
        guard let updated = try tracking.compose(key: compose.key) else {
            throw KilnStoreError(.query, "compose vanished")
        }
        let event = kind == .tagger ? "compose-tagged" : "compose-untagged"
        try tracking.announce(
            event, updated, agent: user, extra: [("tag", .string(tag.name)), ("user_data", .optional(userData))])
        return true
    }

    static let columns: SQLQuery = """
        g.id, g.name, g.description, g.documentation, \(inline: holders(.tagger, groups: false)) AS taggers,
        \(inline: holders(.untagger, groups: false)) AS untaggers,
        \(inline: holders(.tagger, groups: true)) AS tagger_groups,
        \(inline: holders(.untagger, groups: true)) AS untagger_groups
        """

    /// The JSON array (as text) of the users, or the groups, holding a `kind` permission on tag `g`.
    static func holders(_ kind: TrackingTag.Kind, groups: Bool) -> SQLQuery {
        let kindName: SQLQuery = kind == .tagger ? "'tagger'" : "'untagger'"
        let holder: SQLQuery = groups ? "p.group_name" : "u.username"
        let users: SQLQuery = groups ? "" : " LEFT JOIN users u ON u.id = p.user_id"
        return """
            (SELECT coalesce(json_agg(\(inline: holder) ORDER BY p.id)
                    FILTER (WHERE p.kind = \(inline: kindName) AND \(inline: holder) IS NOT NULL), '[]')::text
                FROM cts_tag_permissions p\(inline: users) WHERE p.tag_id = g.id)
            """
    }

    static func decode(_ row: PGRow) throws(KilnStoreError) -> TrackingTag {
        TrackingTag(
            id: try row.decode("id"), name: try row.decode("name"), description: try row.decode("description"),
            documentation: try row.decode("documentation"), taggers: try row.decodeStrings("taggers"),
            untaggers: try row.decodeStrings("untaggers"), taggerGroups: try row.decodeStrings("tagger_groups"),
            untaggerGroups: try row.decodeStrings("untagger_groups"))
    }

    @available(*, noasync, message: "libpq blocks")
    public func tag(named name: String) throws(KilnStoreError) -> TrackingTag? {
        let r = try connection.query("SELECT \(inline: Self.columns) FROM cts_tags g WHERE g.name = \(name)")
        return try r.first.map { row throws(KilnStoreError) in try Self.decode(row) }
    }

    @available(*, noasync, message: "libpq blocks")
    public func tag(id: Int64, forUpdate: Bool = false) throws(KilnStoreError) -> TrackingTag? {
        let lock: SQLQuery = forUpdate ? " FOR NO KEY UPDATE OF g" : ""
        let r = try connection.query("SELECT \(inline: Self.columns) FROM cts_tags g WHERE g.id = \(id)\(inline: lock)")
        return try r.first.map { row throws(KilnStoreError) in try Self.decode(row) }
    }

    @available(*, noasync, message: "libpq blocks")
    public func list(_ query: TrackingTagQuery) throws(KilnStoreError) -> Page<TrackingTag> {
        guard !query.matchesNothing else { return Page(items: [], page: query.page, perPage: query.perPage, total: 0) }
        var conditions: [SQLQuery] = []
        if let id = query.id { conditions.append("g.id = \(id)") }
        if let name = query.name { conditions.append("g.name = \(name)") }
        let whereClause = SQLQuery.where(conditions)
        let total: Int = try connection.query("SELECT count(*) AS count FROM cts_tags g" + whereClause).value("count")
        let order =
            query.order.map { o -> SQLQuery in
                "g.\(identifier: o.field.rawValue) " + (o.descending ? "DESC" : "ASC")
            } + ["g.id DESC"]
        var items: [TrackingTag] = []
        if query.perPage > 0 {
            let r = try connection.query(
                """
                SELECT \(inline: Self.columns) FROM cts_tags g\(inline: whereClause)
                ORDER BY \(inline: order.joined(separator: ", "))
                LIMIT \(literal: query.perPage) OFFSET \(literal: max(0, (query.page - 1) * query.perPage))
                """)
            for row in r.rows { items.append(try Self.decode(row)) }
        }
        return Page(items: items, page: query.page, perPage: query.perPage, total: total)
    }

    /// Every tag in id order (for userinfo).
    @available(*, noasync, message: "libpq blocks")
    public func all() throws(KilnStoreError) -> [TrackingTag] {
        let r = try connection.query("SELECT \(inline: Self.columns) FROM cts_tags g ORDER BY g.id")
        var out: [TrackingTag] = []
        for row in r.rows { out.append(try Self.decode(row)) }
        return out
    }

    /// Creates a tag with a `created` change; a taken name is a 400 error.
    @available(*, noasync, message: "libpq blocks")
    public func create(name: String, description: String, documentation: String, user: String, userData: String?) throws
        -> TrackingTag
    {
        let userID = try UserStore(connection).ensure(username: user)
        let r = try connection.query(
            """
            INSERT INTO cts_tags (name, description, documentation) VALUES (\(name), \(description), \(documentation))
            ON CONFLICT (name) DO NOTHING RETURNING id
            """)
        guard r.rowCount == 1 else { throw ComposeError.invalid("Tag \(name) already exists") }
        let id: Int64 = try r.value("id")
        try connection.query(
            "INSERT INTO cts_tag_changes (tag_id, action, user_id, user_data) VALUES (\(id), "
                + "'created', \(userID), \(userData))"
        )
        guard let tag = try tag(id: id) else { throw KilnStoreError(.query, "created tag vanished") }
        return tag
    }

    /// Field edits (no change record, as CTS); a rename to a taken name is a 400 error.
    @available(*, noasync, message: "libpq blocks")
    public func update(id: Int64, name: String?, description: String?, documentation: String?) throws {
        if let name {
            let taken = try connection.query("SELECT 1 FROM cts_tags WHERE name = \(name) AND id <> \(id)")
            if taken.rowCount > 0 { throw ComposeError.invalid("Tag \(name) already exists") }
        }
        try connection.query(
            """
            UPDATE cts_tags SET name = coalesce(\(name), name), description = coalesce(\(description), description),
                documentation = coalesce(\(documentation), documentation)
            WHERE id = \(id)
            """)
    }

    /// add_tagger / add_untagger: a user (created when unknown) and/or a group. Returns nothing to report.
    @available(*, noasync, message: "libpq blocks")
    public func grant(
        _ kind: TrackingTag.Kind, on tagID: Int64, username: String?, group: String?, actor: String, userData: String?
    )
        throws(KilnStoreError)
    {
        let actorID = try UserStore(connection).ensure(username: actor)
        let title = kind == .tagger ? "Tagger" : "Untagger"
        if let username {
            let userID = try UserStore(connection).ensure(username: username)
            try connection.query(
                """
                INSERT INTO cts_tag_permissions (tag_id, kind, user_id) VALUES (\(tagID), \(kind.rawValue), \(userID))
                ON CONFLICT (tag_id, kind, user_id) WHERE user_id IS NOT NULL DO NOTHING
                """)
            // CTS records an add even when the user was already listed.
            try recordTagChange(
                tagID, "add_\(kind.rawValue)", actorID, "\(title) permission granted to user \"\(username)\".", userData
            )
        }
        if let group {
            let r = try connection.query(
                """
                INSERT INTO cts_tag_permissions (tag_id, kind, group_name) VALUES (\(tagID), \(kind.rawValue), \(group))
                ON CONFLICT (tag_id, kind, group_name) WHERE group_name IS NOT NULL DO NOTHING
                """)
            if r.affectedRows > 0 {
                try recordTagChange(
                    tagID, "add_\(kind.rawValue)", actorID, "\(title) permission granted to group \"\(group)\".",
                    userData)
            }
        }
    }

    /// remove_tagger / remove_untagger; a username with no users row is a 400 error, one not listed a no-op.
    @available(*, noasync, message: "libpq blocks")
    public func revoke(
        _ kind: TrackingTag.Kind, on tagID: Int64, username: String?, group: String?, actor: String, userData: String?
    ) throws {
        let actorID = try UserStore(connection).ensure(username: actor)
        let title = kind == .tagger ? "Tagger" : "Untagger"
        if let username {
            let known = try connection.query("SELECT id FROM users WHERE username = \(username)")
            guard known.rowCount == 1 else { throw ComposeError.invalid("User does not exist") }
            let r = try connection.query(
                """
                DELETE FROM cts_tag_permissions WHERE tag_id = \(tagID) AND kind = \(kind.rawValue)
                    AND user_id = \(try known.value("id", as: Int64.self))
                """)
            if r.affectedRows > 0 {
                try recordTagChange(
                    tagID, "remove_\(kind.rawValue)", actorID, "\(title) permission removed from user \"\(username)\".",
                    userData)
            }
        }
        if let group {
            let r = try connection.query(
                "DELETE FROM cts_tag_permissions WHERE tag_id = \(tagID) AND kind = \(kind.rawValue) "
                    + "AND group_name = \(group)"
            )
            if r.affectedRows > 0 {
                try recordTagChange(
                    tagID, "remove_\(kind.rawValue)", actorID, "\(title) permission removed from group \"\(group)\".",
                    userData)
            }
        }
    }

    private func recordTagChange(
        _ tagID: Int64, _ action: String, _ userID: Int64, _ message: String, _ userData: String?
    ) throws(KilnStoreError) {
        try connection.query(
            """
            INSERT INTO cts_tag_changes (tag_id, action, user_id, message, user_data) VALUES (\(tagID), \(action),
                \(userID), \(message), \(userData))
            """)
    }

    @available(*, noasync, message: "libpq blocks")
    public func changes(tagID id: Int64) throws(KilnStoreError) -> [TrackingChange] {
        try TrackingStore.changes(
            connection.query(
                """
                SELECT extract(epoch FROM h.time)::bigint AS time, h.action, u.username, h.message, h.user_data
                FROM cts_tag_changes h JOIN users u ON u.id = h.user_id WHERE h.tag_id = \(id) ORDER BY h.id
                """))
    }

    /// Number of composes carrying each tag, every tag listed (for `composes_total{tag=...}`).
    @available(*, noasync, message: "libpq blocks")
    public func composeCounts() throws(KilnStoreError) -> [(tag: String, count: Int64)] {
        let r = try connection.query(
            """
            SELECT g.name, (SELECT count(*) FROM cts_compose_tags ct WHERE ct.tag_id = g.id) AS count FROM cts_tags g
            ORDER BY g.name
            """)
        var out: [(String, Int64)] = []
        for row in r.rows { out.append((try row.decode("name"), try row.decode("count"))) }
        return out
    }
}
