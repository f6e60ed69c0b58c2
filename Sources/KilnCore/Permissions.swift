/// ODCS's roles (`admins`, `allowed_clients`) and per-client input restrictions.
public struct Permissions: Sendable {
    /// `{"users": [...], "groups": [...]}`.
    public struct Role: Sendable, Equatable {
        public var users: [String]
        public var groups: [String]
        public init(users: [String] = [], groups: [String] = []) {
            self.users = users
            self.groups = groups
        }
        func contains(_ identity: Identity) -> Bool {
            users.contains(identity.username) || identity.groups.contains(where: groups.contains)
        }
    }

    /// Attribute restrictions of one client entry: attribute name (`source_types`, `arches`, ...) → allowed values.
    public typealias Restrictions = [String: [String]]

    /// `allowed_clients`: `{"users": {name: restrictions}, "groups": {name: restrictions}}`.
    public struct ClientRules: Sendable, Equatable {
        public var users: [String: Restrictions]
        public var groups: [String: Restrictions]
        public init(users: [String: Restrictions] = [:], groups: [String: Restrictions] = [:]) {
            self.users = users
            self.groups = groups
        }
        var role: Role { Role(users: Array(users.keys), groups: Array(groups.keys)) }
    }

    /// One attribute of a request as the restriction check sees it; `values == nil` means "not checked".
    public struct Input: Sendable {
        public var attribute: String
        public var values: [String]?
        public init(_ attribute: String, _ values: [String]?) {
            self.attribute = attribute
            self.values = values
        }
    }

    public let configuration: ServiceConfiguration
    public init(configuration: ServiceConfiguration) { self.configuration = configuration }

    public func isAdmin(_ caller: Caller) -> Bool {
        switch caller {
        case .noauth: true
        case .anonymous: false
        case .user(let identity): configuration.admins.contains(identity)
        }
    }

    /// login_required: a write needs an identity.
    public func requireIdentity(_ caller: Caller) throws(ComposeError) {
        if case .anonymous = caller { throw ComposeError(.unauthorized, Caller.unauthorizedMessage) }
    }

    /// require_scopes: enforced for OIDC identities only.
    public func requireScope(_ scope: String, for caller: Caller) throws(ComposeError) {
        guard case .user(let identity) = caller, identity.method == .oidc else { return }
        guard identity.scopes?.contains(configuration.oidcBaseNamespace + scope) == true else {
            throw .forbidden("Request does not have required scope \(scope)")
        }
    }

    /// requires_role("allowed_clients") / ("admins").
    public func requireRole(_ role: String, for caller: Caller) throws(ComposeError) {
        guard case .user(let identity) = caller else { return }
        let members = role == "admins" ? configuration.admins : configuration.allowedClients.role
        guard members.contains(identity) else { throw .forbidden("User \(identity.username) is not in role \(role).") }
    }

    /// raise_if_input_not_allowed: passes when any one applicable client entry allows every attribute.
    public func requireInputAllowed(_ inputs: [Input], for caller: Caller) throws(ComposeError) {
        guard case .user(let identity) = caller, !isAdmin(caller) else { return }
        let user = identity.username
        var sets: [Restrictions] = []
        if let own = configuration.allowedClients.users[user] {
            sets = [own]
        } else {
            sets = identity.groups.compactMap { configuration.allowedClients.groups[$0] }
        }
        guard !sets.isEmpty else { throw .forbidden("User \(user) not allowed to operate with any compose.") }
        var messages: [String] = []
        for restrictions in sets {
            var errors: [String] = []
            for input in inputs {
                guard let values = input.values else { continue }
                let allowed = restrictions[input.attribute] ?? defaultAllowed(input.attribute)
                if allowed == [""] { continue }
                if let bad = values.first(where: { !allowed.contains($0) }) {
                    errors.append("User \(user) not allowed to operate with compose with \(input.attribute)=\(bad).")
                }
            }
            if errors.isEmpty { return }
            for e in errors where !messages.contains(e) { messages.append(e) }
        }
        throw .forbidden(messages.joined(separator: " "))
    }

    func defaultAllowed(_ attribute: String) -> [String] {
        switch attribute {
        case "source_types": configuration.allowedSourceTypes
        case "sources": configuration.allowedSources
        case "flags": configuration.allowedFlags
        case "results": configuration.allowedResults
        case "arches": configuration.allowedArches
        case "compose_types": configuration.allowedComposeTypes
        case "raw_config_keys": configuration.rawConfigURLs.keys.sorted()
        default: []
        }
    }

    /// The attributes ODCS checks for a compose (POST adds `target_dirs`, PATCH does not).
    public func inputs(for compose: Compose, includeTargetDirs: Bool) -> [Input] {
        var inputs = [
            Input("source_types", [compose.sourceType.name]),
            Input("sources", compose.source.split(separator: " ", omittingEmptySubsequences: false).map(String.init)),
            Input("results", compose.results.names),
            Input("flags", ["no_flags"] + compose.flags.names),
            Input(
                "arches",
                compose.arches.map { $0.split(separator: " ", omittingEmptySubsequences: false).map(String.init) }),
            Input("compose_types", compose.composeType.map { [$0] }),
        ]
        if includeTargetDirs {
            let path = compose.targetDir
            let checked =
                path == nil || path == configuration.targetDir ? nil : [configuration.targetDirName(forPath: path)]
            inputs.append(Input("target_dirs", checked))
        }
        let rawConfigKey =
            compose.sourceType == .rawConfig ? compose.source.split(separator: "#").first.map(String.init) : nil
        inputs.append(Input("raw_config_keys", rawConfigKey.map { [$0] }))
        return inputs
    }
}
