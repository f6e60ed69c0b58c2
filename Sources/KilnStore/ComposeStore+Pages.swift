public import KilnCore

/// The bounded reads the pages make beside the API's list: the queue, recent failures, and the composes a compose's
/// page links to. Each walks an index and stops at its LIMIT, whatever the size of the table.
extension ComposeStore {
    /// Up to `limit` composes in `state`, oldest first (`newestFirst`: newest first), through the (state, id) index.
    @available(*, noasync, message: "libpq blocks")
    public func composes(in state: ComposeState, newestFirst: Bool = false, limit: Int) throws(KilnStoreError)
        -> [Compose]
    {
        let direction: SQLQuery = newestFirst ? "DESC" : "ASC"
        let r = try connection.query(
            """
            SELECT \(inline: Self.columns(full: false)) FROM composes
            WHERE state = \(literal: state.rawValue)
            ORDER BY state \(inline: direction), id \(inline: direction) LIMIT \(literal: max(0, limit))
            """)
        return try r.rows.map { row throws(KilnStoreError) in try Self.decode(row) }
    }

    /// How many done composes `previousDone(before:)` looks back over at most.
    public static let previousWindow = 3_000

    /// The id of the latest done compose of the same source type and source submitted before `compose`, among the
    /// `previousWindow` done composes before it (newest first through the (state, id) index: a source never composed
    /// before does not read the whole table).
    @available(*, noasync, message: "libpq blocks")
    public func previousDone(before compose: Compose) throws(KilnStoreError) -> Int64? {
        let r = try connection.query(
            """
            SELECT id FROM (
                SELECT id, source_type, source FROM composes
                WHERE state = \(literal: ComposeState.done.rawValue) AND id < \(compose.id)
                ORDER BY state DESC, id DESC LIMIT \(literal: Self.previousWindow)
            ) AS recent
            WHERE source_type = \(compose.sourceType.rawValue) AND source = \(compose.source)
            ORDER BY id DESC LIMIT 1
            """)
        return try r.first?.decode("id", as: Int64.self)
    }

    /// Up to `limit` ids of the composes whose files are `id`'s (their `reused_id`), lowest first.
    @available(*, noasync, message: "libpq blocks")
    public func reusing(id: Int64, limit: Int) throws(KilnStoreError) -> [Int64] {
        let r = try connection.query(
            "SELECT id FROM composes WHERE reused_id = \(id) ORDER BY id LIMIT \(literal: max(0, limit))")
        return try r.rows.map { row throws(KilnStoreError) in try row.decode("id", as: Int64.self) }
    }
}
