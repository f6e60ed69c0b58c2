/// The publisher's side of the outbox. One publisher runs at a time (`tryLockPublisher`), reading undelivered
/// messages in id order and marking each delivered only after the broker confirmed it. Nothing ever clears
/// `sent_at`, so a confirmed message is never sent again; one published but not confirmed (a crash, a lost
/// connection) is published again, with the same `message_id`.
extension OutboxStore {
    /// One undelivered message, with what the wire format needs from its row.
    public struct Message: Sendable, Equatable {
        public var id: Int64
        public var messageID: String
        public var topic: String
        /// The JSON body as PostgreSQL renders the jsonb.
        public var body: String
        /// When the change was committed: `2026-01-31T12:00:00+00:00` (UTC, whole seconds).
        public var createdAt: String
        /// For state-changed messages: the compose, its owner and requested packages (space-separated); for CTS
        /// messages the user who made the change (`agent`).
        public var composeID: Int64?
        public var owner: String?
        public var packages: [String]
    }

    /// Session-level advisory lock key held by the running publisher. Delivering in id order needs one publisher at
    /// a time; the lock goes with the connection, so a killed publisher cannot block the next one.
    static let publisherLock: Int64 = 7_071_000_002

    /// True when this connection now holds the publisher lock (or already did).
    @available(*, noasync, message: "libpq blocks")
    public func tryLockPublisher() throws(KilnStoreError) -> Bool {
        try connection.query("SELECT pg_try_advisory_lock(\(Self.publisherLock))").bool(0, 0) ?? false
    }

    @available(*, noasync, message: "libpq blocks")
    public func unlockPublisher() throws(KilnStoreError) {
        try connection.query("SELECT pg_advisory_unlock(\(Self.publisherLock))")
    }

    /// The oldest `limit` undelivered messages, in id order (which, per compose, is the order of its changes: a
    /// change's row lock is taken before its message is written, so the next change's message gets a higher id).
    @available(*, noasync, message: "libpq blocks")
    public func undelivered(limit: Int) throws(KilnStoreError) -> [Message] {
        let r = try connection.query("""
            SELECT id, message_id::text, topic, body::text,
                   to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
                   CASE WHEN jsonb_typeof(body->'compose'->'id') = 'number' THEN body->'compose'->>'id' END,
                   CASE WHEN jsonb_typeof(body->'compose'->'owner') = 'string' THEN body->'compose'->>'owner'
                        WHEN jsonb_typeof(body->'agent') = 'string' THEN body->>'agent' END,
                   CASE WHEN jsonb_typeof(body->'compose'->'packages') = 'string' THEN body->'compose'->>'packages' END
            FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT \(limit)
            """)
        var messages: [Message] = []
        messages.reserveCapacity(r.rowCount)
        for i in 0..<r.rowCount {
            messages.append(Message(
                id: try r.requiredInt64(i, 0), messageID: try r.requiredString(i, 1), topic: try r.requiredString(i, 2),
                body: try r.requiredString(i, 3), createdAt: try r.requiredString(i, 4), composeID: try r.int64(i, 5),
                owner: r.string(i, 6), packages: (r.string(i, 7) ?? "").split(separator: " ").map(String.init)))
        }
        return messages
    }

    /// Marks messages the broker confirmed. Only undelivered rows change, so a first delivery time is kept.
    @available(*, noasync, message: "libpq blocks")
    public func markDelivered(ids: [Int64]) throws(KilnStoreError) {
        guard !ids.isEmpty else { return }
        try connection.query("""
            UPDATE outbox SET sent_at = now() AT TIME ZONE 'utc', attempts = attempts + 1, last_error = NULL
            WHERE id = ANY(\(PGArray.integers(ids))::bigint[]) AND sent_at IS NULL
            """)
    }

    /// Records a failed attempt on messages that were published (or about to be) without a confirm.
    @available(*, noasync, message: "libpq blocks")
    public func recordFailure(ids: [Int64], error: String) throws(KilnStoreError) {
        guard !ids.isEmpty else { return }
        try connection.query("""
            UPDATE outbox SET attempts = attempts + 1, last_error = \(error)
            WHERE id = ANY(\(PGArray.integers(ids))::bigint[]) AND sent_at IS NULL
            """)
    }

    /// How many messages wait for delivery.
    @available(*, noasync, message: "libpq blocks")
    public func backlog() throws(KilnStoreError) -> Int64 {
        try connection.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL").requiredInt64(0, 0)
    }

}
