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
        try connection.query("""
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
        let r = try connection.query("""
            SELECT name, extract(epoch FROM checked_at)::bigint, extract(epoch FROM expires_at)::bigint, status, message
            FROM token_checks ORDER BY name
            """)
        var out: [Check] = []
        for row in 0..<r.rowCount {
            out.append(Check(
                name: try r.requiredString(row, 0), checkedAt: try r.requiredInt64(row, 1), expiresAt: try r.int64(row, 2),
                status: TokenStatus(rawValue: try r.requiredString(row, 3)) ?? .unreadable, message: try r.requiredString(row, 4)))
        }
        return out
    }
}
