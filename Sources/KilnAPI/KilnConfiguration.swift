public import KilnCore
public import KilnFastCGI
public import Logging

/// Everything the responder and the jobs read from `/etc/kiln/kiln.json` (see docs/configuration.md).
public struct KilnConfiguration: Sendable {
    public var service = ServiceConfiguration()
    public var fastCGI = FastCGIConfiguration()
    /// libpq conninfo or `postgresql://` URL.
    public var databaseURL = "postgresql:///kiln"
    public var logLevel: Logger.Level = .info
    /// Topics are `<prefix>.compose.state-changed` and so on.
    public var messagingTopicPrefix = "kiln"
    /// The HMAC key file `kiln dev-token` signs with (local stacks only).
    public var devTokenKeyFile: String?
    /// How many composes `kiln generate` builds at once (ODCS's `num_concurrent_pungi`).
    public var generateWorkers = 2
    /// Koji (`tag` and `build` composes): the hub's XML-RPC URL and its top directory (a local path or an http(s) URL).
    public var kojiHubURL: String?
    public var kojiTopURL: String?
    /// Pulp 2 (`pulp` composes): server URL and the TLS client certificate and key it wants.
    public var pulpServerURL: String?
    public var pulpSSLCert: String?
    public var pulpSSLKey: String?
    /// Expiry, the disk-space guard and token checks.
    public var operations = OperationsConfiguration()
    /// Location tracking and promotion (`kiln track-locations`, `kiln promote`).
    public var tracking = TrackingConfiguration()
    /// The `version` `/api/1/about/` reports.
    public var version = KilnVersion.current

    public init() {}
}

public enum KilnVersion {
    public static let current = "0.1.0"
}
