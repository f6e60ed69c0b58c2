/// The topic (AMQP routing key) each kind of message goes out on. A kind is named by the topic suffix the outbox
/// stores (`odcs.compose.state-changed`, `cts.compose-tagged`, ...). A kind with a topic of its own
/// (`messaging_topics`) goes out on exactly that topic, whatever the deployment calls it (Fedora's
/// `org.fedoraproject.prod.odcs.compose.state-changed`, UMB's `VirtualTopic.eng.odcs.state.changed`); every other
/// kind goes out on `<prefix>.<kind>` (`messaging_topic_prefix`).
public struct MessageTopics: Sendable, Equatable {
    /// Every kind of message Kiln writes to the outbox.
    public static let kinds: [String] =
        [OutboxMessage.stateChangedKind] + OutboxMessage.trackingEvents.map { OutboxMessage.trackingKind($0) }

    /// The longest routing key AMQP 0-9-1 carries (a short string).
    public static let maxTopicBytes = 255

    public var prefix: String
    /// Full topics by kind; only kinds in `kinds`.
    public var topics: [String: String]

    public init(prefix: String = "kiln", topics: [String: String] = [:]) {
        self.prefix = prefix
        self.topics = topics
    }

    /// The topic a message of `kind` is published on.
    public func topic(for kind: String) -> String { topics[kind] ?? OutboxMessage.topic(prefix: prefix, suffix: kind) }

    /// What is wrong with a configured topic.
    public struct Problem: Sendable, Equatable {
        /// The kind whose configured topic (or name) is wrong; nil when it is the prefix, in the topic of a kind
        /// that has none of its own.
        public var kind: String?
        public var reason: String
    }

    /// The first problem with these topics, nil when every kind has a topic a broker takes: known kinds only, and for
    /// every kind a valid routing key (`topicProblem`), counting the prefixed topics of the kinds not configured.
    public func problem() -> Problem? {
        for kind in topics.keys.sorted() where !Self.kinds.contains(kind) {
            return Problem(kind: kind, reason: "unknown message kind (known: \(Self.kinds.joined(separator: ", ")))")
        }
        for kind in Self.kinds {
            let topic = topic(for: kind)
            guard let reason = Self.topicProblem(topic) else { continue }
            if topics[kind] != nil { return Problem(kind: kind, reason: reason) }
            return Problem(kind: nil, reason: "\(reason) (in the topic \(topic))")
        }
        return nil
    }

    /// Why `topic` cannot be a routing key, nil when it can: at most 255 bytes, dot-separated words none of which is
    /// empty, printable ASCII without spaces, and no `*` or `#` (wildcards in the binding keys consumers bind with,
    /// so a topic holding them could not be bound to exactly).
    public static func topicProblem(_ topic: String) -> String? {
        if topic.isEmpty { return "the topic is empty" }
        if topic.utf8.count > maxTopicBytes {
            return "the topic is \(topic.utf8.count) bytes long; AMQP routing keys hold at most \(maxTopicBytes)"
        }
        for byte in topic.utf8 where !(0x21...0x7E).contains(byte) {
            return "the topic may hold printable ASCII characters only, without spaces"
        }
        if topic.utf8.contains(UInt8(ascii: "*")) || topic.utf8.contains(UInt8(ascii: "#")) {
            return "the topic may not hold * or # (binding wildcards)"
        }
        if topic.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            return "the topic has an empty word (a leading, trailing or doubled dot)"
        }
        return nil
    }
}
