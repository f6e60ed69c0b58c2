/// The compose policy Kiln enforces: what ODCS keeps in its config.py. No I/O; the executables fill it in.
public struct ServiceConfiguration: Sendable {
    /// One `raw_config_urls` entry.
    public struct RawConfig: Sendable, Equatable {
        /// The git repository holding the Pungi configuration.
        public var url: String
        /// The main configuration file, relative to `path` in the repository.
        public var configFilename: String
        /// The directory in the repository that holds it (nil: the top).
        public var path: String?
        /// How long Pungi may run for this configuration (nil: `pungi_timeout`).
        public var pungiTimeout: Int64?
        public var secondsToLive: Int64?
        public var maxSecondsToLive: Int64?
        public init(
            url: String, configFilename: String, path: String? = nil, pungiTimeout: Int64? = nil,
            secondsToLive: Int64? = nil, maxSecondsToLive: Int64? = nil
        ) {
            self.url = url
            self.configFilename = configFilename
            self.path = path
            self.pungiTimeout = pungiTimeout
            self.secondsToLive = secondsToLive
            self.maxSecondsToLive = maxSecondsToLive
        }
    }

    public var authBackend: String = "openidc"
    public var admins: Permissions.Role = .init()
    public var allowedClients: Permissions.ClientRules = .init()
    /// CTS's `allowed_builders`: who may import composes into the tracking service.
    public var allowedBuilders: Permissions.Role = .init()
    public var allowedSourceTypes: [String] = ["tag", "module", "build"]
    public var allowedSources: [String] = [""]
    public var allowedFlags: [String] = ComposeFlags.allNames
    public var allowedResults: [String] = ComposeResults.allNames
    public var allowedArches: [String] = ["x86_64"]
    public var allowedComposeTypes: [String] = [""]
    /// The compose types a request may name (`compose_type`); each is a productmd compose type.
    public var composeTypes: [String] = ComposeID.ComposeType.allCases.map(\.rawValue)
    public var oidcBaseNamespace: String = "https://pagure.io/odcs/"
    public var targetDir: String = "/var/lib/kiln/composes"
    public var targetDirURL: String = "http://localhost/composes"
    public var extraTargetDirs: [String: String] = [:]
    public var secondsToLive: Int64 = 86_400
    public var maxSecondsToLive: Int64 = 259_200
    public var arches: [String] = ["x86_64"]
    public var sigkeys: [String] = []
    public var baseModuleNames: Set<String> = ["platform", "bootstrap"]
    /// The Module Build Service (`<mbs_url>/1/module-builds/`) `module` composes are resolved through; nil: module
    /// composes are refused.
    public var mbsURL: String?
    public var rawConfigURLs: [String: RawConfig] = [:]
    /// The Pungi command line (`pungi-koji` and leading arguments) raw_config composes run; empty: they are
    /// refused.
    public var pungiCommand: [String] = []
    /// Seconds Pungi may run (ODCS's `pungi_timeout`), and git may take to fetch a configuration.
    public var pungiTimeout: Int64 = 3600
    public var gitTimeout: Int64 = 600
    /// Whether DELETE of a `wait` compose cancels it (ODCS: "Celery available").
    public var cancelWaitingComposes: Bool = true
    /// The Kerberos realms whose principals are users (`user@REALM` → `user`); a principal of any other realm is
    /// refused. Required when `authBackend` accepts Kerberos.
    public var kerberosRealms: [String] = []
    /// Static user → groups map, used for Kerberos and TLS identities (and added to OIDC groups).
    public var userGroups: [String: [String]] = [:]
    /// The OIDC claim that carries groups (`OIDC_CLAIM_<name>`).
    public var oidcGroupsClaim: String = "groups"
    /// Local directories `repo` composes (and lookaside repos) may read from; a path elsewhere is refused.
    public var repoRoots: [String] = []
    /// Hosts and URL prefixes remote sources may use (`allowed_remote_urls`); none by default.
    public var remoteSources: RemoteSourcePolicy = .none

    public init() {}

    /// `target_dir_url` without a trailing slash.
    public var targetDirBaseURL: String {
        targetDirURL.hasSuffix("/") ? String(targetDirURL.dropLast()) : targetDirURL
    }

    /// `<target_dir_url>/<name>/compose/Temporary`: where a compose's repositories and `.repo` file are served.
    public func resultRepoURL(name: String) -> String { "\(targetDirBaseURL)/\(name)/compose/Temporary" }

    /// Whether a stored `target_dir` is the default one (NULL counts as default).
    public func isDefaultTargetDir(_ path: String?) -> Bool { path == nil || path == targetDir }

    /// The `target_dir` name a stored path maps to in the compose JSON.
    public func targetDirName(forPath path: String?) -> String {
        guard let path, path != targetDir else { return "default" }
        return extraTargetDirs.first(where: { $0.value == path })?.key ?? "unknown"
    }
}
