public import KilnCore

/// The message outbox: rows written in the same transaction as the change they announce.
public struct OutboxStore {
    public let connection: PGConnection
    public init(_ connection: PGConnection) { self.connection = connection }

    @available(*, noasync, message: "libpq blocks")
    public func append(topic: String, body: String) throws(KilnStoreError) {
        try connection.query("INSERT INTO outbox (topic, body) VALUES (\(topic), \(body)::jsonb)")
    }

    /// `<prefix>.odcs.compose.state-changed` with `{"event": "state-changed", "compose": <compose JSON>}`; the topic is
    /// the AMQP routing key (fedora-messaging style: `<topic_prefix>.<app>.<object>.<event>`).
    @available(*, noasync, message: "libpq blocks")
    public func announceStateChange(_ compose: Compose, configuration: ServiceConfiguration, topicPrefix: String) throws(KilnStoreError) {
        let body: JSON = ["event": "state-changed", "compose": compose.json(configuration: configuration)]
        try append(topic: "\(topicPrefix).odcs.compose.state-changed", body: body.serialized())
    }
}
