/// A message announcing a change, written to the outbox in the transaction that makes the change and delivered
/// later by `kiln publish`. It carries no site topic: `topicSuffix` names the kind of message, and the publisher
/// sends it on the topic configured for that kind when it sends it (`MessageTopics`: `messaging_topics`, else
/// `messaging_topic_prefix` in front of the kind), so a stored message does not depend on the configuration it was
/// written under.
public struct OutboxMessage: Sendable, Equatable {
    /// What consumers filter on (fedora-messaging's `fedora_messaging_user_*` and `fedora_messaging_rpm_*` headers).
    public struct Headers: Sendable, Equatable {
        /// The users the message concerns: a compose's owner, or the user who changed a tracked compose.
        public var usernames: [String]
        /// The packages a compose was asked for.
        public var packages: [String]

        public init(usernames: [String] = [], packages: [String] = []) {
            self.usernames = usernames
            self.packages = packages
        }

        /// `{"usernames": [...], "packages": [...]}`, as the outbox stores them.
        public var json: JSON {
            ["usernames": .array(usernames.map { .string($0) }), "packages": .array(packages.map { .string($0) })]
        }
    }

    /// The kind of message, which is also the topic after the site prefix and its dot:
    /// `odcs.compose.state-changed`, `cts.compose-created`.
    public var topicSuffix: String
    public var headers: Headers
    public var body: JSON

    public init(topicSuffix: String, headers: Headers = Headers(), body: JSON) {
        self.topicSuffix = topicSuffix
        self.headers = headers
        self.body = body
    }

    /// The full topic (the AMQP routing key, fedora-messaging style `<prefix>.<app>.<object>.<event>`).
    public func topic(prefix: String) -> String { Self.topic(prefix: prefix, suffix: topicSuffix) }

    /// `<prefix>.<suffix>`; an empty prefix adds nothing.
    public static func topic(prefix: String, suffix: String) -> String {
        prefix.isEmpty ? suffix : prefix + "." + suffix
    }

    /// The kind of `composeStateChanged` messages.
    public static let stateChangedKind = "odcs.compose.state-changed"

    /// The `event`s of `tracking` messages.
    public static let trackingEvents = ["compose-created", "compose-changed", "compose-tagged", "compose-untagged"]

    /// The kind of a `tracking` message about `event`.
    public static func trackingKind(_ event: String) -> String { "cts." + event }

    /// `odcs.compose.state-changed` with `{"event": "state-changed", "compose": <compose JSON>}`, for the compose's
    /// owner and the packages it concerns: those it asked for (space-separated in `packages`), then the package
    /// names of the builds it was made from (`builds`, N-V-Rs), each once.
    public static func composeStateChanged(_ compose: Compose, configuration: ServiceConfiguration) -> OutboxMessage {
        var packages: [String] = []
        var seen: Set<String> = []
        let requested = (compose.packages ?? "").split(separator: " ").map(String.init)
        let built = (compose.builds ?? "").split(separator: " ").compactMap { RPMNVR(parsing: String($0))?.name }
        for name in requested + built where seen.insert(name).inserted { packages.append(name) }
        return OutboxMessage(
            topicSuffix: stateChangedKind,
            headers: Headers(usernames: [compose.owner], packages: packages),
            body: ["event": "state-changed", "compose": compose.json(configuration: configuration)])
    }

    /// `cts.<event>` (`compose-created`, `compose-changed`, `compose-tagged`, `compose-untagged`) with the tracked
    /// compose's JSON, the user who made the change (`agent`) and `extra` keys (a tag's name, user data).
    public static func tracking(
        _ event: String, _ compose: TrackedCompose, agent: String, extra: [(String, JSON)] = []
    ) -> OutboxMessage {
        var body = JSONObject()
        body["event"] = .string(event)
        body["compose"] = compose.json
        body["agent"] = .string(agent)
        for (key, value) in extra { body[key] = value }
        return OutboxMessage(
            topicSuffix: trackingKind(event), headers: Headers(usernames: [agent]), body: .object(body))
    }
}
