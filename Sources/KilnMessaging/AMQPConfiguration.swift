/// Where and how `AMQPPublisher` connects. No I/O; the URL is parsed when connecting.
public struct AMQPConfiguration: Sendable {
    /// `amqp://user:password@host:port/vhost`, or `amqps://` for TLS.
    public var url = "amqp://guest:guest@127.0.0.1:5672/%2F"
    /// The topic exchange messages go to. fedora-messaging publishes to `amq.topic`, which every broker has; any
    /// other name is declared (durable, topic) when connecting.
    public var exchange = "amq.topic"
    /// amqps only: the CA bundle the broker's certificate is checked against (default: the system bundle).
    public var caCertificateFile: String?
    /// amqps only: a client certificate and its key. With them and no password in the URL, the login is SASL
    /// EXTERNAL (the broker takes the identity from the certificate), as fedora-messaging's TLS set-up does.
    public var certificateFile: String?
    public var keyFile: String?
    /// TCP connect and login time limit.
    public var connectTimeoutSeconds = 10
    /// How long to wait for the broker to confirm a batch.
    public var confirmTimeoutSeconds = 30

    public static let systemCABundle = "/etc/ssl/certs/ca-certificates.crt"

    public init() {}

    /// Exchanges named `amq.*` exist on every broker and may not be declared by clients.
    public var exchangeNeedsDeclaring: Bool { !exchange.isEmpty && !exchange.hasPrefix("amq.") }
}
