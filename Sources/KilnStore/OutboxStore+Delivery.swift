public import KilnCore

/// The publisher's side of the outbox. One publisher runs at a time (`tryLockPublisher`), reading undelivered
/// messages in id order and marking each delivered only after the broker confirmed it. Nothing ever clears
/// `sent_at`, so a confirmed message is never sent again; one published but not confirmed (a crash, a lost
/// connection) is published again, with the same `message_id`.
extension OutboxStore {
    /// One undelivered message, with what the wire format needs from its row.
    public struct Message: Sendable, Equatable {
        public var id: Int64
        public var messageID: String
        /// The full topic: the row's own (written before topics were stored without the prefix), else the topic
        /// the configuration gives the stored kind (`MessageTopics`).
        public var topic: String
        /// The JSON body as PostgreSQL renders the jsonb.
        public var body: String
        /// When the change was committed: `2026-01-31T12:00:00+00:00` (UTC, whole seconds).
        public var createdAt: String
        /// For state-changed messages: the compose.
        public var composeID: Int64?
        public var headers: OutboxMessage.Headers
    }

    /// Session-level advisory lock key held by the running publisher. Delivering in id order needs one publisher at
    /// a time; the lock goes with the connection, so a killed publisher cannot block the next one.
    static let publisherLock = PGConnection.AdvisoryLock.key(7_071_000_002)

    /// True when this connection now holds the publisher lock (or already did).
    @available(*, noasync, message: "libpq blocks")
    public func tryLockPublisher() throws(KilnStoreError) -> Bool {
        try connection.tryAdvisoryLock(Self.publisherLock)
    }

    @available(*, noasync, message: "libpq blocks")
    public func unlockPublisher() throws(KilnStoreError) {
        try connection.advisoryUnlock(Self.publisherLock)
    }

    /// The oldest `limit` undelivered messages, in id order (which, per compose, is the order of its changes: a
    /// change's row lock is taken before its message is written, so the next change's message gets a higher id).
    /// `topicPrefix` (`messaging_topic_prefix`) goes in front of each stored topic suffix.
    @available(*, noasync, message: "libpq blocks")
    public func undelivered(limit: Int, topicPrefix: String) throws(KilnStoreError) -> [Message] {
        try undelivered(limit: limit, topics: MessageTopics(prefix: topicPrefix))
    }

    /// The oldest `limit` undelivered messages, in id order, each with the topic `topics` gives its kind.
    @available(*, noasync, message: "libpq blocks")
    public func undelivered(limit: Int, topics: MessageTopics) throws(KilnStoreError) -> [Message] {
        let r = try connection.query(
            """
            SELECT id, message_id::text AS message_id, topic, topic_suffix, body::text AS body,
                   to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"') AS created_at,
                   CASE WHEN jsonb_typeof(body->'compose'->'id') = 'number' THEN body->'compose'->>'id' END
                       AS compose_id,
                   coalesce(headers->'usernames', '[]') AS usernames, coalesce(headers->'packages', '[]') AS packages
            FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT \(limit)
            """)
        var messages: [Message] = []
        messages.reserveCapacity(r.rowCount)
        for row in r.rows {
            var topic = try row.decode("topic", as: String?.self)
            if topic == nil { topic = topics.topic(for: try row.decode("topic_suffix")) }
            messages.append(
                Message(
                    id: try row.decode("id"), messageID: try row.decode("message_id"), topic: topic ?? "",
                    body: try row.decode("body"), createdAt: try row.decode("created_at"),
                    composeID: try row.decode("compose_id", as: Int64?.self),
                    headers: OutboxMessage.Headers(
                        usernames: try row.decodeStrings("usernames"), packages: try row.decodeStrings("packages"))))
        }
        return messages
    }

    /// Marks messages the broker confirmed. Only undelivered rows change, so a first delivery time is kept.
    @available(*, noasync, message: "libpq blocks")
    public func markDelivered(ids: [Int64]) throws(KilnStoreError) {
        guard !ids.isEmpty else { return }
        try connection.query(
            """
            UPDATE outbox SET sent_at = now() AT TIME ZONE 'utc', attempts = attempts + 1, last_error = NULL
            WHERE id = ANY(\(PGArray.integers(ids))::bigint[]) AND sent_at IS NULL
            """)
    }

    /// Records a failed attempt on messages that were published (or about to be) without a confirm.
    @available(*, noasync, message: "libpq blocks")
    public func recordFailure(ids: [Int64], error: String) throws(KilnStoreError) {
        guard !ids.isEmpty else { return }
        try connection.query(
            """
            UPDATE outbox SET attempts = attempts + 1, last_error = \(error)
            WHERE id = ANY(\(PGArray.integers(ids))::bigint[]) AND sent_at IS NULL
            """)
    }

    /// How many messages wait for delivery.
    @available(*, noasync, message: "libpq blocks")
    public func backlog() throws(KilnStoreError) -> Int64 {
        try connection.query("SELECT count(*) AS count FROM outbox WHERE sent_at IS NULL").value("count")
    }

}
