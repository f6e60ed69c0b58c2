public import KilnCore
public import Logging

/// Everything the responder and the jobs read from `/etc/kiln/kiln.json` (see docs/configuration.md).
public struct KilnConfiguration: Sendable {
    public var service = ServiceConfiguration()
    public var fastCGI = FastCGIConfiguration()
    /// libpq conninfo or `postgresql://` URL.
    public var databaseURL = "postgresql:///kiln"
    public var logLevel: Logger.Level = .info
    /// The topic (AMQP routing key) of each kind of message: `messaging_topics`, else
    /// `<messaging_topic_prefix>.<kind>` (`kiln.odcs.compose.state-changed` and so on).
    public var messagingTopics = MessageTopics()
    /// `messaging_topic_prefix`: the topic prefix of the kinds of message `messaging_topics` does not name.
    public var messagingTopicPrefix: String {
        get { messagingTopics.prefix }
        set { messagingTopics.prefix = newValue }
    }
    /// Where `kiln publish` delivers the outbox: `.amqp` (RabbitMQ, fedora-messaging format) or `.none` (kept in the
    /// outbox only).
    public var messagingBackend = MessagingBackend.none
    /// AMQP 0-9-1 broker (`amqp://user:password@host:port/vhost`, `amqps://` for TLS) and topic exchange.
    public var amqpURL = "amqp://guest:guest@127.0.0.1:5672/%2F"
    public var amqpExchange = "amq.topic"
    /// amqps: CA bundle (default: the system's), client certificate and key.
    public var amqpCACert: String?
    public var amqpCertFile: String?
    public var amqpKeyFile: String?
    /// The HMAC key file `kiln dev-token` signs with (local stacks only).
    public var devTokenKeyFile: String?
    /// Pages: the hex HMAC key file page sessions (sign-in cookies) and their CSRF tokens are signed with; without
    /// it nobody can sign in to the pages, which are then read-only.
    public var pageSessionKeyFile: String?
    /// How long a page sign-in lasts, in seconds.
    public var pageSessionLifetime: Int64 = 8 * 3600
    /// `/signin/dev`: sign in to the pages as any user and groups, without a password. Local stacks only.
    public var devSignIn = false
    /// How many composes `kiln generate` builds at once (ODCS's `num_concurrent_pungi`).
    public var generateWorkers = 2
    /// Koji (`tag` and `build` composes): the hub's XML-RPC URL and its top directory (a local path or an http(s) URL).
    public var kojiHubURL: String?
    public var kojiTopURL: String?
    /// Pulp 2 (`pulp` composes): server URL and the TLS client certificate and key it wants.
    public var pulpServerURL: String?
    public var pulpSSLCert: String?
    public var pulpSSLKey: String?
    /// Every remote fetch (repositories, lookaside, pungi_compose, Pulp, Koji files, import-contents): at most this
    /// long in all, aborted when nothing arrives for `remoteStallSeconds`, and at most `remoteMaxBytes` for a file
    /// whose size no metadata declares.
    public var remoteTimeoutSeconds = 1800
    public var remoteStallSeconds = 60
    public var remoteMaxBytes: Int64 = 1 << 30
    /// Expiry, the disk-space guard and token checks.
    public var operations = OperationsConfiguration()
    /// Location tracking and promotion (`kiln track-locations`, `kiln promote`).
    public var tracking = TrackingConfiguration()
    /// The `version` `/api/1/about/` reports.
    public var version = KilnVersion.current

    public init() {}
}

public enum MessagingBackend: String, Sendable, CaseIterable {
    case amqp
    case none
}

public enum KilnVersion {
    public static let current = "0.1.0"
}
