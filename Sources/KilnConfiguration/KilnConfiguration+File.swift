public import KilnCore
internal import KilnPlatform
internal import Logging

#if canImport(Glibc)
    internal import Glibc
#endif

/// Reading the configuration: a JSON file, then `KILN_<KEY>` environment overrides (JSON values for lists and
/// objects, plain text for strings and numbers).
extension KilnConfiguration {
    public struct LoadError: Error, CustomStringConvertible {
        public var key: String
        public var reason: String
        public var description: String { "configuration key \(key): \(reason)" }
    }

    /// Every key the file may hold.
    public static let keys: [String] =
        [
            "database_url", "socket", "socket_mode", "workers", "max_body_bytes", "log_level", "auth_backend", "admins",
            "allowed_clients", "allowed_source_types", "allowed_sources", "allowed_flags", "allowed_results",
            "allowed_arches",
            "allowed_compose_types", "compose_types", "oidc_base_namespace", "oidc_groups_claim", "user_groups",
            "kerberos_realms", "target_dir",
            "target_dir_url",
            "extra_target_dirs", "seconds_to_live", "max_seconds_to_live", "arches", "sigkeys", "base_module_names",
            "raw_config_urls", "pungi_command", "pungi_timeout", "git_timeout", "cancel_waiting_composes",
            "messaging_topic_prefix", "messaging_topics", "dev_token_key_file", "repo_roots",
            "page_session_key_file", "page_session_lifetime", "dev_sign_in",
            "num_concurrent_pungi", "pulp_server_url", "pulp_ssl_cert", "pulp_ssl_key", "koji_hub_url", "koji_top_url",
            "mbs_url",
            "allowed_builders", "allowed_remote_urls", "remote_timeout", "remote_stall_timeout", "remote_max_bytes",
            "messaging_backend", "amqp_url", "amqp_exchange", "amqp_ca_cert", "amqp_cert_file", "amqp_key_file",
        ] + OperationsConfiguration.keys + TrackingConfiguration.keys

    /// Loads `path` (when it exists or was named explicitly) and applies the environment.
    public static func load(path: String?, environment: [String: String]) throws -> KilnConfiguration {
        var object = JSONObject()
        let filePath = path ?? environment["KILN_CONFIG"] ?? "/etc/kiln/kiln.json"
        if let text = Platform.readTextFile(filePath) {
            do {
                guard let o = try JSONParser.parse(text).objectValue else {
                    throw LoadError(key: filePath, reason: "the file must hold a JSON object")
                }
                object = o
            } catch let error as JSONParser.Error {
                throw LoadError(key: filePath, reason: "invalid JSON: \(error)")
            }
        } else if path != nil || environment["KILN_CONFIG"] != nil {
            throw LoadError(key: filePath, reason: "cannot read the configuration file")
        }
        for key in keys {
            guard let text = environment["KILN_" + key.uppercased()] else { continue }
            if let parsed = try? JSONParser.parse(text), parsed.stringValue == nil {
                switch (parsed, object[key]) {
                case (.int, .some(.string)): object[key] = .string(text)
                default: object[key] = parsed
                }
            } else {
                object[key] = .string(text)
            }
        }
        for key in object.keys where !keys.contains(key) { throw LoadError(key: key, reason: "unknown key") }
        return try KilnConfiguration(object)
    }

    public init(_ o: JSONObject) throws {
        self.init()
        func string(_ key: String) throws -> String? {
            guard let v = o[key] else { return nil }
            guard let s = v.stringValue else { throw LoadError(key: key, reason: "must be a string") }
            return s
        }
        func int(_ key: String) throws -> Int64? {
            guard let v = o[key] else { return nil }
            if let i = v.integerValue { return i }
            if let s = v.stringValue, let i = Int64(s) { return i }
            throw LoadError(key: key, reason: "must be an integer")
        }
        func strings(_ key: String, _ value: JSON?) throws -> [String]? {
            guard let v = value else { return nil }
            guard let a = v.arrayValue else { throw LoadError(key: key, reason: "must be a list of strings") }
            return try a.map {
                guard let s = $0.stringValue else { throw LoadError(key: key, reason: "must be a list of strings") }
                return s
            }
        }
        func object(_ key: String, _ value: JSON?) throws -> JSONObject? {
            guard let v = value else { return nil }
            guard let obj = v.objectValue else { throw LoadError(key: key, reason: "must be an object") }
            return obj
        }

        if let v = try string("database_url") { databaseURL = v }
        if let v = try string("socket") { fastCGI.socketPath = v.isEmpty ? nil : v }
        if let v = o["socket_mode"] {
            guard let s = v.stringValue ?? v.integerValue.map({ String($0) }), let mode = UInt32(s, radix: 8) else {
                throw LoadError(key: "socket_mode", reason: "must be an octal string such as \"0660\"")
            }
            fastCGI.socketMode = mode
        }
        if let v = try int("workers") {
            guard (1...256).contains(v) else { throw LoadError(key: "workers", reason: "must be 1 to 256") }
            fastCGI.workerCount = Int(v)
        }
        if let v = try int("max_body_bytes") {
            guard v > 0 else { throw LoadError(key: "max_body_bytes", reason: "must be positive") }
            fastCGI.maxBodyBytes = Int(v)
        }
        if let v = try string("log_level") {
            guard let level = Logger.Level(rawValue: v) else {
                throw LoadError(key: "log_level", reason: "unknown level")
            }
            logLevel = level
        }
        if let v = try string("auth_backend") {
            let known = ["noauth", "openidc", "kerberos", "ssl", "kerberos_or_ssl", "oidc_or_kerberos"]
            guard known.contains(v) else { throw LoadError(key: "auth_backend", reason: "Unknown backend name \(v).") }
            service.authBackend = v
        }
        if let a = try object("admins", o["admins"]) {
            for key in a.keys where key != "users" && key != "groups" {
                throw LoadError(key: "admins", reason: "only \"users\" and \"groups\" are allowed, not \(key)")
            }
            service.admins = Permissions.Role(
                users: try strings("admins.users", a["users"]) ?? [],
                groups: try strings("admins.groups", a["groups"]) ?? [])
        }
        if let c = try object("allowed_clients", o["allowed_clients"]) {
            for key in c.keys where key != "users" && key != "groups" {
                throw LoadError(key: "allowed_clients", reason: "only \"users\" and \"groups\" are allowed, not \(key)")
            }
            func rules(_ key: String) throws -> [String: Permissions.Restrictions] {
                var out: [String: Permissions.Restrictions] = [:]
                for (name, value) in try object("allowed_clients.\(key)", c[key])?.pairs ?? [] {
                    var restrictions: Permissions.Restrictions = [:]
                    for (attr, list) in try object("allowed_clients.\(key).\(name)", value)?.pairs ?? [] {
                        restrictions[attr] = try strings("allowed_clients.\(key).\(name).\(attr)", list)
                    }
                    out[name] = restrictions
                }
                return out
            }
            service.allowedClients = Permissions.ClientRules(users: try rules("users"), groups: try rules("groups"))
        }
        if let b = try object("allowed_builders", o["allowed_builders"]) {
            // CTS writes each side as a list or as an object keyed by name; both are accepted.
            func names(_ key: String) throws -> [String] {
                guard let v = b[key] else { return [] }
                if let obj = v.objectValue { return obj.keys }
                return try strings("allowed_builders.\(key)", v) ?? []
            }
            for key in b.keys where key != "users" && key != "groups" {
                throw LoadError(
                    key: "allowed_builders", reason: "only \"users\" and \"groups\" are allowed, not \(key)")
            }
            service.allowedBuilders = Permissions.Role(users: try names("users"), groups: try names("groups"))
        }
        if let v = try strings("allowed_source_types", o["allowed_source_types"]) { service.allowedSourceTypes = v }
        if let v = try strings("allowed_sources", o["allowed_sources"]) { service.allowedSources = v }
        if let v = try strings("allowed_flags", o["allowed_flags"]) { service.allowedFlags = v }
        if let v = try strings("allowed_results", o["allowed_results"]) { service.allowedResults = v }
        if let v = try strings("allowed_arches", o["allowed_arches"]) { service.allowedArches = v }
        if let v = try strings("allowed_compose_types", o["allowed_compose_types"]) { service.allowedComposeTypes = v }
        if let v = try strings("compose_types", o["compose_types"]) {
            for name in v where ComposeID.ComposeType(rawValue: name) == nil {
                throw LoadError(key: "compose_types", reason: "\(name) is not a productmd compose type")
            }
            service.composeTypes = v
        }
        if let v = try string("oidc_base_namespace") { service.oidcBaseNamespace = v }
        if let v = try string("oidc_groups_claim") { service.oidcGroupsClaim = v }
        if let g = try object("user_groups", o["user_groups"]) {
            for (user, groups) in g.pairs { service.userGroups[user] = try strings("user_groups.\(user)", groups) }
        }
        if let v = try strings("kerberos_realms", o["kerberos_realms"]) {
            // A realm is printable ASCII without "@" or whitespace (what a principal's realm part can be).
            func isRealm(_ name: String) -> Bool {
                !name.isEmpty && !name.contains("@") && name.unicodeScalars.allSatisfy { (33...126).contains($0.value) }
            }
            if let bad = v.first(where: { !isRealm($0) }) {
                throw LoadError(key: "kerberos_realms", reason: "\(bad.debugDescription) is not a realm name")
            }
            service.kerberosRealms = v
        }
        if Identity.methods(forBackend: service.authBackend).contains(.kerberos), service.kerberosRealms.isEmpty {
            throw LoadError(
                key: "kerberos_realms",
                reason:
                    "auth_backend \(service.authBackend) accepts Kerberos: name the realms whose principals are users")
        }
        if let v = try string("target_dir") {
            guard v.hasPrefix("/") else { throw LoadError(key: "target_dir", reason: "must be an absolute path") }
            service.targetDir = v
        }
        if let v = try string("target_dir_url") { service.targetDirURL = v }
        if let t = try object("extra_target_dirs", o["extra_target_dirs"]) {
            for (name, path) in t.pairs {
                guard let p = path.stringValue, p.hasPrefix("/") else {
                    throw LoadError(key: "extra_target_dirs.\(name)", reason: "must be an absolute path")
                }
                service.extraTargetDirs[name] = p
            }
        }
        // Lifetimes from 1 second to 100 years: `now + lifetime` stays a valid timestamp.
        func lifetime(_ key: String) throws -> Int64? {
            guard let v = try int(key) else { return nil }
            guard (1...3_155_760_000).contains(v) else { throw LoadError(key: key, reason: "must be 1 to 3155760000") }
            return v
        }
        if let v = try lifetime("seconds_to_live") { service.secondsToLive = v }
        if let v = try lifetime("max_seconds_to_live") { service.maxSecondsToLive = v }
        if let v = try strings("arches", o["arches"]) { service.arches = v }
        if let v = try strings("sigkeys", o["sigkeys"]) { service.sigkeys = v }
        if let v = try strings("base_module_names", o["base_module_names"]) { service.baseModuleNames = Set(v) }
        if let v = try string("mbs_url"), !v.isEmpty {
            do {
                _ = try RemoteURL(parsing: v)
            } catch {
                throw LoadError(key: "mbs_url", reason: "must be an http(s) URL without query or fragment: \(error)")
            }
            service.mbsURL = v
        }
        try loadRawConfig(o)
        if let v = o["cancel_waiting_composes"] {
            guard case .bool(let b) = v else {
                throw LoadError(key: "cancel_waiting_composes", reason: "must be true or false")
            }
            service.cancelWaitingComposes = b
        }
        if let v = try string("messaging_topic_prefix") { messagingTopics.prefix = v }
        if let t = try object("messaging_topics", o["messaging_topics"]) {
            for (kind, topic) in t.pairs {
                guard let s = topic.stringValue else {
                    throw LoadError(key: "messaging_topics.\(kind)", reason: "must be a string")
                }
                messagingTopics.topics[kind] = s
            }
        }
        if let problem = messagingTopics.problem() {
            throw LoadError(
                key: problem.kind.map { "messaging_topics.\($0)" } ?? "messaging_topic_prefix", reason: problem.reason)
        }
        if let v = try string("messaging_backend") {
            // ODCS's "" (disabled) is `none`.
            guard let backend = v.isEmpty ? MessagingBackend.none : MessagingBackend(rawValue: v) else {
                throw LoadError(key: "messaging_backend", reason: "Unknown messaging backend \(v) (amqp or none)")
            }
            messagingBackend = backend
        }
        if let v = try string("amqp_url") {
            guard v.hasPrefix("amqp://") || v.hasPrefix("amqps://") else {
                throw LoadError(key: "amqp_url", reason: "must start with amqp:// or amqps://")
            }
            amqpURL = v
        }
        if let v = try string("amqp_exchange") { amqpExchange = v }
        if let v = try string("amqp_ca_cert") { amqpCACert = v.isEmpty ? nil : v }
        if let v = try string("amqp_cert_file") { amqpCertFile = v.isEmpty ? nil : v }
        if let v = try string("amqp_key_file") { amqpKeyFile = v.isEmpty ? nil : v }
        if (amqpCertFile == nil) != (amqpKeyFile == nil) {
            throw LoadError(
                key: amqpCertFile == nil ? "amqp_cert_file" : "amqp_key_file",
                reason: "amqp_cert_file and amqp_key_file go together")
        }
        if let v = try string("dev_token_key_file") { devTokenKeyFile = v }
        if let v = try string("page_session_key_file") { pageSessionKeyFile = v.isEmpty ? nil : v }
        if let v = try int("page_session_lifetime") {
            guard (60...7 * 86_400).contains(v) else {
                throw LoadError(key: "page_session_lifetime", reason: "must be 60 to 604800 seconds")
            }
            pageSessionLifetime = v
        }
        if let v = o["dev_sign_in"] {
            switch v {
            case .bool(let b): devSignIn = b
            case .string("true"): devSignIn = true
            case .string("false"): devSignIn = false
            default: throw LoadError(key: "dev_sign_in", reason: "must be true or false")
            }
        }
        if let v = try strings("repo_roots", o["repo_roots"]) {
            guard v.allSatisfy({ $0.hasPrefix("/") }) else {
                throw LoadError(key: "repo_roots", reason: "must be absolute paths")
            }
            service.repoRoots = v
        }
        if let v = try strings("allowed_remote_urls", o["allowed_remote_urls"]) {
            do {
                service.remoteSources = try RemoteSourcePolicy(entries: v)
            } catch {
                throw LoadError(key: "allowed_remote_urls", reason: error.reason)
            }
        }
        if let v = try int("remote_timeout") {
            guard (1...86_400).contains(v) else {
                throw LoadError(key: "remote_timeout", reason: "must be 1 to 86400 seconds")
            }
            remoteTimeoutSeconds = Int(v)
        }
        if let v = try int("remote_stall_timeout") {
            guard (1...3600).contains(v) else {
                throw LoadError(key: "remote_stall_timeout", reason: "must be 1 to 3600 seconds")
            }
            remoteStallSeconds = Int(v)
        }
        if let v = o["remote_max_bytes"] {
            guard let text = v.stringValue ?? v.integerValue.map({ String($0) }),
                case .bytes(let b)? = DiskSpace.Mark(parsing: text),
                (1...(Int64(1) << 40)).contains(b)
            else { throw LoadError(key: "remote_max_bytes", reason: "must be a size such as \"2G\", at most 1T") }
            remoteMaxBytes = b
        }
        if let v = try string("koji_hub_url") { kojiHubURL = v.isEmpty ? nil : v }
        if let v = try string("koji_top_url") { kojiTopURL = v.isEmpty ? nil : v }
        if let v = try string("pulp_server_url") { pulpServerURL = v.isEmpty ? nil : v }
        if let v = try string("pulp_ssl_cert") { pulpSSLCert = v.isEmpty ? nil : v }
        if let v = try string("pulp_ssl_key") { pulpSSLKey = v.isEmpty ? nil : v }
        if let v = try int("num_concurrent_pungi") {
            guard (1...64).contains(v) else { throw LoadError(key: "num_concurrent_pungi", reason: "must be 1 to 64") }
            generateWorkers = Int(v)
        }
        operations = try OperationsConfiguration(o)
        tracking = try TrackingConfiguration(o)
    }
}
