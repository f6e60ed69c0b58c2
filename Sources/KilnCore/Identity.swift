/// Who is calling, as httpd established it. Never read from the request body.
public struct Identity: Sendable, Equatable {
    public enum Method: String, Sendable {
        case oidc, kerberos, ssl
        case remoteUser = "remote_user"
        /// A person signed in to the pages (a signed session cookie, set after the site's login or the local
        /// stack's development sign-in): user and groups, no scopes.
        case session
    }

    public var username: String
    public var groups: [String]
    /// OIDC scopes; nil for identities that carry none (Kerberos, TLS).
    public var scopes: Set<String>?
    public var method: Method

    public init(username: String, groups: [String] = [], scopes: Set<String>? = nil, method: Method) {
        self.username = username
        self.groups = groups
        self.scopes = scopes
        self.method = method
    }

    /// The identity methods an `auth_backend` accepts; anything else is ignored.
    public static func methods(forBackend backend: String) -> Set<Method> {
        switch backend {
        case "openidc": [.oidc]
        case "kerberos": [.kerberos, .remoteUser]
        case "ssl": [.ssl]
        case "kerberos_or_ssl": [.kerberos, .remoteUser, .ssl]
        case "oidc_or_kerberos": [.oidc, .kerberos, .remoteUser]
        default: []
        }
    }

    /// The user name of a Kerberos principal `user@REALM` (mod_auth_gssapi's REMOTE_USER): the part before the `@`
    /// when the realm is one of `realms` (compared exactly: realms are case-sensitive). Nil for another realm, an
    /// empty user part, or a name with more than one `@` (an enterprise name, ambiguous about its realm).
    public static func kerberosUsername(principal: String, realms: [String]) -> String? {
        let parts = principal.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, realms.contains(String(parts[1])) else { return nil }
        return String(parts[0])
    }

    /// Reads the identity from the CGI variables httpd passes (REMOTE_USER, OIDC_CLAIM_*, SSL_CLIENT_*), taking only
    /// what the configured `auth_backend` accepts. Returns nil when there is none.
    public static func from(variables: [String: String], configuration: ServiceConfiguration) -> Identity? {
        let accepted = methods(forBackend: configuration.authBackend)
        var identity: Identity?
        if let remoteUser = variables["REMOTE_USER"], !remoteUser.isEmpty {
            if variables.keys.contains(where: { $0.hasPrefix("OIDC_") }) {
                let scopes = (variables["OIDC_CLAIM_scope"] ?? "").split(separator: " ").map(String.init)
                let groups = (variables["OIDC_CLAIM_\(configuration.oidcGroupsClaim)"] ?? "")
                    .split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
                identity = Identity(username: remoteUser, groups: groups, scopes: Set(scopes), method: .oidc)
            } else if remoteUser.contains("@") {
                // A principal from a realm Kiln does not accept, or one that is not exactly user@REALM, is no
                // identity at all (a write then gets 401): never a user of the same name from another realm.
                identity = kerberosUsername(principal: remoteUser, realms: configuration.kerberosRealms).map {
                    Identity(username: $0, method: .kerberos)
                }
            } else {
                identity = Identity(username: remoteUser, method: .remoteUser)
            }
        }
        if identity.map({ !accepted.contains($0.method) }) ?? true,
            variables["SSL_CLIENT_VERIFY"] == "SUCCESS", let dn = variables["SSL_CLIENT_S_DN"], !dn.isEmpty
        {
            identity = Identity(username: dn, method: .ssl)
        }
        guard var identity, accepted.contains(identity.method) else { return nil }
        for group in configuration.userGroups[identity.username] ?? [] where !identity.groups.contains(group) {
            identity.groups.append(group)
        }
        return identity
    }
}
