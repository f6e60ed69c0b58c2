/// The `users` table: a row per identity ever seen on a write.
public struct UserStore {
    public let connection: PGConnection
    public init(_ connection: PGConnection) { self.connection = connection }

    /// Finds or creates the user row; returns its id.
    @discardableResult
    @available(*, noasync, message: "libpq blocks")
    public func ensure(username: String) throws(KilnStoreError) -> Int64 {
        let r = try connection.query(
            """
            INSERT INTO users (username) VALUES (\(username))
            ON CONFLICT (username) DO UPDATE SET username = EXCLUDED.username
            RETURNING id
            """)
        return try r.value("id")
    }
}
