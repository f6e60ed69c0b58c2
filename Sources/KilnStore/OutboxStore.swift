public import KilnCore

/// The message outbox: rows written in the same transaction as the change they announce.
public struct OutboxStore {
    public let connection: PGConnection
    public init(_ connection: PGConnection) { self.connection = connection }

    /// Writes `message` to the outbox; the publisher adds the site's topic prefix when it sends it.
    @available(*, noasync, message: "libpq blocks")
    public func append(_ message: OutboxMessage) throws(KilnStoreError) {
        try connection.query(
            """
            INSERT INTO outbox (topic_suffix, headers, body)
            VALUES (
                \(message.topicSuffix), \(message.headers.json.serialized())::jsonb,
                \(message.body.serialized())::jsonb)
            """)
    }
}

extension OutboxStore {
    /// One `odcs.compose.state-changed` message per compose, in the order given.
    @available(*, noasync, message: "libpq blocks")
    public func announceStateChanges(
        _ composes: [Compose], configuration: ServiceConfiguration
    ) throws(KilnStoreError) {
        for compose in composes { try append(.composeStateChanged(compose, configuration: configuration)) }
    }
}
