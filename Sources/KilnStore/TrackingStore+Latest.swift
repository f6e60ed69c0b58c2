public import KilnCore

/// The newest tracked compose of each product and of each tag, for the dashboard: each found through an index in
/// a handful of rows, whatever the number of tracked composes.
extension TrackingStore {
    /// A tracked compose as the dashboard lists it.
    public struct Latest: Sendable, Equatable {
        /// The product (`release_short`) or tag it is the newest of.
        public var group: String
        public var composeID: String
        public var releaseVersion: String
        public var date: String
        public var respin: Int
        public var type: String
    }

    /// The newest compose (by date, then respin) of each release short, in name order: up to `limit` products.
    /// The (release_short, release_version, date DESC, respin DESC) index is walked once per product version
    /// (a recursive skip over its distinct leading pairs, at most `limit` * 8 of them), so 200,000 composes of one
    /// product cost the same as 200.
    @available(*, noasync, message: "libpq blocks")
    public func latestPerProduct(limit: Int) throws(KilnStoreError) -> [Latest] {
        let versions = max(0, limit) * 8
        let r = try connection.query(
            """
            WITH RECURSIVE pairs (release_short, release_version, n) AS (
                (SELECT release_short, release_version, 1 FROM cts_composes
                 ORDER BY release_short, release_version LIMIT 1)
                UNION ALL
                SELECT next.release_short, next.release_version, pairs.n + 1 FROM pairs
                CROSS JOIN LATERAL (
                    SELECT c.release_short, c.release_version FROM cts_composes c
                    WHERE (c.release_short, c.release_version) > (pairs.release_short, pairs.release_version)
                    ORDER BY c.release_short, c.release_version LIMIT 1
                ) AS next
                WHERE pairs.n < \(literal: versions)
            )
            SELECT DISTINCT ON (newest.release_short) newest.* FROM pairs
            CROSS JOIN LATERAL (
                SELECT c.release_short, c.compose_id, c.release_version, c.date, c.respin, c.type FROM cts_composes c
                WHERE c.release_short = pairs.release_short AND c.release_version = pairs.release_version
                ORDER BY c.date DESC, c.respin DESC LIMIT 1
            ) AS newest
            ORDER BY newest.release_short, newest.date DESC, newest.respin DESC
            LIMIT \(literal: max(0, limit))
            """)
        return try r.rows.map { row throws(KilnStoreError) in try Self.latest(row, group: "release_short") }
    }

    /// The newest compose carrying each tag (by date, then id), in tag-name order: up to `limit` tags, each read
    /// backwards from the end of its (tag_id, compose_date, compose_id) index range. Tags on no compose are left out.
    @available(*, noasync, message: "libpq blocks")
    public func latestPerTag(limit: Int) throws(KilnStoreError) -> [Latest] {
        let r = try connection.query(
            """
            SELECT t.name, c.compose_id, c.release_version, c.date, c.respin, c.type FROM cts_tags t
            CROSS JOIN LATERAL (
                SELECT ct.compose_id AS key FROM cts_compose_tags ct WHERE ct.tag_id = t.id
                ORDER BY ct.compose_date DESC, ct.compose_id DESC LIMIT 1
            ) AS newest
            JOIN cts_composes c ON c.id = newest.key
            ORDER BY t.name LIMIT \(literal: max(0, limit))
            """)
        return try r.rows.map { row throws(KilnStoreError) in try Self.latest(row, group: "name") }
    }

    private static func latest(_ row: PGRow, group: String) throws(KilnStoreError) -> Latest {
        Latest(
            group: try row.decode(group), composeID: try row.decode("compose_id"),
            releaseVersion: try row.decode("release_version"), date: try row.decode("date"),
            respin: try row.decode("respin"), type: try row.decode("type"))
    }
}
