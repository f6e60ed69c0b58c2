/// The compose policy Kiln enforces: what ODCS keeps in its config.py. No I/O; the executables fill it in.
public struct ServiceConfiguration: Sendable {
    /// One `raw_config_urls` entry.
    public struct RawConfig: Sendable, Equatable {
        public var url: String
        public var configFilename: String
        public var secondsToLive: Int64?
        public var maxSecondsToLive: Int64?
        public init(url: String, configFilename: String, secondsToLive: Int64? = nil, maxSecondsToLive: Int64? = nil) {
            self.url = url
            self.configFilename = configFilename
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
    /// Whether DELETE of a `wait` compose cancels it (ODCS: "Celery available").
    public var cancelWaitingComposes: Bool = true
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
