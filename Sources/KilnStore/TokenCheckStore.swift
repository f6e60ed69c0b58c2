public import KilnCore

/// The last `kiln check-token` result per configured token, which /api/1/metrics/ exports.
public struct TokenCheckStore {
    public let connection: PGConnection
    public init(_ connection: PGConnection) { self.connection = connection }

    public struct Check: Sendable, Equatable {
        public var name: String
        public var checkedAt: Int64
        public var expiresAt: Int64?
        public var status: TokenStatus
        public var message: String

        public init(name: String, checkedAt: Int64, expiresAt: Int64?, status: TokenStatus, message: String) {
            self.name = name
            self.checkedAt = checkedAt
            self.expiresAt = expiresAt
            self.status = status
            self.message = message
        }
    }

    @available(*, noasync, message: "libpq blocks")
    public func record(_ check: Check) throws(KilnStoreError) {
        try connection.query(
            """
            INSERT INTO token_checks (name, checked_at, expires_at, status, message)
            VALUES (\(check.name), to_timestamp(\(check.checkedAt)) AT TIME ZONE 'utc',
                    to_timestamp(\(check.expiresAt)) AT TIME ZONE 'utc', \(check.status.rawValue), \(check.message))
            ON CONFLICT (name) DO UPDATE SET checked_at = excluded.checked_at, expires_at = excluded.expires_at,
                status = excluded.status, message = excluded.message
            """)
    }

    /// Forgets tokens no longer configured.
    @available(*, noasync, message: "libpq blocks")
    public func keepOnly(_ names: [String]) throws(KilnStoreError) {
        try connection.query("DELETE FROM token_checks WHERE NOT (name = ANY(\(PGArray.text(names))::varchar[]))")
    }

    @available(*, noasync, message: "libpq blocks")
    public func all() throws(KilnStoreError) -> [Check] {
        let r = try connection.query(
            """
            SELECT name, extract(epoch FROM checked_at)::bigint AS checked_at,
                extract(epoch FROM expires_at)::bigint AS expires_at, status, message
            FROM token_checks ORDER BY name
            """)
        var out: [Check] = []
        for row in r.rows {
            out.append(
                Check(
                    name: try row.decode("name"), checkedAt: try row.decode("checked_at"),
                    expiresAt: try row.decode("expires_at", as: Int64?.self),
                    status: TokenStatus(rawValue: try row.decode("status")) ?? .unreadable,
                    message: try row.decode("message")))
        }
        return out
    }
}
