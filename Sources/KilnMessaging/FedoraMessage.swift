/// The fedora-messaging wire format, so a stock fedora-messaging consumer (`fedora_messaging.api.consume`,
/// `fedora-messaging consume`) reads Kiln's messages as `fedora_messaging.message.Message` objects:
///
/// * routing key = the message topic (fedora-messaging prefixes its `topic_prefix`; `kiln publish` sends each
///   message on the topic configured for its kind: `messaging_topics`, else `messaging_topic_prefix` in front of the
///   kind stored in the outbox);
/// * properties: content_type `application/json`, content_encoding `utf-8`, delivery_mode 2, message_id a UUID4
///   string (fixed per outbox row, so a redelivered message keeps its id);
/// * headers: `fedora_messaging_schema` (`base.message`, the schema every consumer has), `fedora_messaging_severity`
///   (INFO, 20), `sent-at` (ISO 8601 with a UTC offset, whole seconds), `priority` (0; fedora-messaging mirrors the
///   publish priority there), and one `fedora_messaging_user_<name>: true` per user concerned (the compose owner)
///   and `fedora_messaging_rpm_<name>: true` per package, which consumers filter on.
public enum FedoraMessage {
    public static let schema = "base.message"
    /// fedora_messaging.message.INFO.
    public static let severityInfo: Int32 = 20

    /// Builds the message for one outbox row. `body` is the JSON text as stored; `sentAt` is already formatted
    /// (`2026-01-31T12:00:00+00:00`).
    public static func make(
        topic: String, body: String, messageID: String, sentAt: String, usernames: [String] = [],
        packages: [String] = []
    ) -> AMQPMessage {
        var headers: [(name: String, value: AMQPMessage.HeaderValue)] = [
            ("fedora_messaging_schema", .string(schema)),
            ("fedora_messaging_severity", .int(severityInfo)),
            ("sent-at", .string(sentAt)),
            ("priority", .int(0)),
        ]
        var seen = Set(headers.map(\.name))
        for (kind, names) in [("user", usernames), ("rpm", packages)] {
            for name in names where !name.isEmpty {
                let header = "fedora_messaging_\(kind)_\(name)"
                // AMQP short strings (table keys) hold at most 255 bytes.
                guard header.utf8.count <= 255, seen.insert(header).inserted else { continue }
                headers.append((header, .bool(true)))
            }
        }
        return AMQPMessage(routingKey: topic, body: Array(body.utf8), messageID: messageID, headers: headers)
    }
}
