internal import CCrypto
public import KilnCore

/// A bearer token for local stacks: a JWT signed with HS256 under the shared key httpd's mod_auth_openidc verifies
/// with (`OIDCOAuthVerifySharedKeys`). Production tokens come from the real OIDC provider.
public struct DevToken: Sendable {
    public var user: String
    public var groups: [String]
    public var scopes: [String]
    public var issuedAt: Int64
    public var lifetimeSeconds: Int64
    public var issuer: String

    public init(user: String, groups: [String], scopes: [String], issuedAt: Int64, lifetimeSeconds: Int64 = 86_400, issuer: String = "kiln-dev") {
        self.user = user
        self.groups = groups
        self.scopes = scopes
        self.issuedAt = issuedAt
        self.lifetimeSeconds = lifetimeSeconds
        self.issuer = issuer
    }

    /// Kiln's scope names (ODCS's and CTS's), each under the configured namespace.
    public static func allScopes(namespace: String) -> [String] {
        ["openid"] + ["new-compose", "renew-compose", "delete-compose", "edit-compose", "new-tag", "edit-tag"].map { namespace + $0 }
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
        let input = Base64URL.encode(header.serializedBytes(sortedKeys: true)) + "." + Base64URL.encode(claims.serializedBytes(sortedKeys: true))
        return input + "." + Base64URL.encode(Self.hmacSHA256(key: key, data: Array(input.utf8)))
    }

    public static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = key.withUnsafeBytes { k in
            data.withUnsafeBufferPointer { d in
                out.withUnsafeMutableBufferPointer { o in
                    CCrypto_hmacSHA256(k.baseAddress, Int32(key.count), d.baseAddress, d.count, o.baseAddress)
                }
            }
        }
        precondition(ok == 1, "HMAC-SHA256 failed")
        return out
    }
}

/// RFC 4648 §5 base64url without padding.
public enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Decodes unpadded (or padded) base64url; nil for any character outside the alphabet or an impossible length.
    public static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            guard let v = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt8(v))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 3 / 4)
        var i = 0
        while i < values.count {
            let v0 = values[i], v1 = i + 1 < values.count ? values[i + 1] : 0
            out.append(v0 << 2 | v1 >> 4)
            if i + 2 < values.count {
                let v2 = values[i + 2]
                out.append((v1 & 0x0F) << 4 | v2 >> 2)
                if i + 3 < values.count { out.append((v2 & 0x03) << 6 | values[i + 3]) }
            }
            i += 4
        }
        return out
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
