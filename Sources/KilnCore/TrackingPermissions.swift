/// CTS's roles (`admins`, `allowed_builders`), per-tag taggers and untaggers, and scopes.
/// Admins are Kiln's `admins`; scopes live under `oidc_base_namespace`, like ODCS's.
public struct TrackingPermissions: Sendable {
    public enum Role: String, Sendable {
        case admins
        case allowedBuilders = "allowed_builders"
    }

    public let configuration: ServiceConfiguration
    public init(configuration: ServiceConfiguration) { self.configuration = configuration }

    var base: Permissions { Permissions(configuration: configuration) }

    /// The name recorded as builder, tagger or agent: `anonymous` under noauth, as in CTS.
    public static func username(_ caller: Caller) -> String {
        switch caller {
        case .user(let identity): identity.username
        case .noauth, .anonymous: "anonymous"
        }
    }

    public func has(_ role: Role, _ caller: Caller) -> Bool {
        switch caller {
        case .noauth: return true
        case .anonymous: return false
        case .user(let identity):
            let members = role == .admins ? configuration.admins : configuration.allowedBuilders
            return members.users.contains(identity.username) || identity.groups.contains(where: members.groups.contains)
        }
    }

    /// Scope check, true when scopes do not apply (identities other than OIDC, noauth).
    public func inScope(_ scope: String, _ caller: Caller) -> Bool {
        (try? base.requireScope(scope, for: caller)) != nil
    }

    /// login_required, then require_scopes, then requires_role (CTS's decorator order).
    public func require(scope: String, role: Role?, _ caller: Caller) throws(ComposeError) {
        try base.requireIdentity(caller)
        try base.requireScope(scope, for: caller)
        if let role, !has(role, caller) {
            throw .forbidden("User \(Self.username(caller)) is not in role \(role.rawValue).")
        }
    }

    /// May `caller` put `tag` on a compose (`.tagger`) or take it off (`.untagger`)?
    public func may(_ kind: TrackingTag.Kind, _ tag: TrackingTag, _ caller: Caller) -> Bool {
        if has(.admins, caller) { return true }
        guard case .user(let identity) = caller else { return false }
        return tag.users(kind).contains(identity.username) || identity.groups.contains(where: tag.groups(kind).contains)
    }

    public func requireTagPermission(_ kind: TrackingTag.Kind, _ tag: TrackingTag, _ caller: Caller)
        throws(ComposeError)
    {
        guard may(kind, tag, caller) else {
            throw .forbidden(
                "User \"\(Self.username(caller))\" does not have \"\(kind.rawValue)s\" permission "
                    + "for tag \"\(tag.name)\"."
            )
        }
    }

    /// set_url: builders and admins.
    public func requireSetURL(_ caller: Caller) throws(ComposeError) {
        guard has(.allowedBuilders, caller) || has(.admins, caller) else {
            throw .forbidden("User \"\(Self.username(caller))\" does not have permission to set compose_url")
        }
    }

    /// GET `/cts/api/1/userinfo`'s `permissions` object for `tags` (all tags, in id order).
    public func userInfo(_ caller: Caller, tags: [TrackingTag]) -> JSON {
        let editCompose = inScope("edit-compose", caller)
        let isAdmin = has(.admins, caller)
        let isBuilder = has(.allowedBuilders, caller)
        func names(_ kind: TrackingTag.Kind) -> JSON {
            .array(tags.filter { editCompose && may(kind, $0, caller) }.map { .string($0.name) })
        }
        return [
            "username": .string(Self.username(caller)),
            "permissions": [
                "can_create_compose": .bool(inScope("new-compose", caller) && isBuilder),
                "can_create_tag": .bool(inScope("new-tag", caller) && isAdmin),
                "can_edit_tag": .bool(inScope("edit-tag", caller) && isAdmin),
                "can_set_url": .bool(editCompose && (isAdmin || isBuilder)),
                "is_tagger_of": names(.tagger),
                "is_untagger_of": names(.untagger),
            ],
        ]
    }
}
