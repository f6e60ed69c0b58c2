internal import KilnCore
internal import KilnPlatform

/// A bearer token for local stacks: a JWT signed with HS256 under the shared key httpd's mod_auth_openidc verifies
/// with (`OIDCOAuthVerifySharedKeys`). Production tokens come from the real OIDC provider.
public struct DevBearerToken: Sendable {
    public var user: String
    public var groups: [String]
    public var scopes: [String]
    public var issuedAt: Int64
    public var lifetimeSeconds: Int64
    public var issuer: String

    public init(
        user: String, groups: [String], scopes: [String], issuedAt: Int64, lifetimeSeconds: Int64 = 86_400,
        issuer: String = "kiln-dev"
    ) {
        self.user = user
        self.groups = groups
        self.scopes = scopes
        self.issuedAt = issuedAt
        self.lifetimeSeconds = lifetimeSeconds
        self.issuer = issuer
    }

    /// Kiln's scope names (ODCS's and CTS's), each under the configured namespace.
    public static func allScopes(namespace: String) -> [String] {
        ["openid"]
            + ["new-compose", "renew-compose", "delete-compose", "edit-compose", "new-tag", "edit-tag"].map {
                namespace + $0
            }
    }

    public func signed(key: [UInt8]) -> String {
        let header: JSON = ["alg": "HS256", "typ": "JWT"]
        let claims: JSON = [
            "sub": .string(user),
            "iss": .string(issuer),
            "iat": .int(issuedAt),
            "exp": .int(issuedAt + lifetimeSeconds),
            "scope": .string(scopes.joined(separator: " ")),
            "groups": .array(groups.map { .string($0) }),
        ]
        let input =
            Base64URL.encode(header.serializedBytes(sortedKeys: true)) + "."
            + Base64URL.encode(claims.serializedBytes(sortedKeys: true))
        return input + "." + Base64URL.encode(Self.hmacSHA256(key: key, data: Array(input.utf8)))
    }

    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] { HMAC.sha256(key: key, data: data) }
}
