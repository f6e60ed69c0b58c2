internal import CCrypto
internal import KilnCore
internal import KilnPlatform

/// A person signed in to the pages: a cookie kiln-api signs (HMAC-SHA256 under `page_session_key_file`), holding the
/// user and groups the sign-in established, when it ends, and a random nonce the CSRF token is derived from.
///
/// The identity in it came from httpd (the `/login` URL, which the site's mod_auth_openidc protects) or from the
/// local stack's development sign-in; the cookie only carries it between requests. It is `HttpOnly`,
/// `SameSite=Lax` and, over HTTPS, `Secure`.
struct PageSession: Sendable, Equatable {
    static let cookieName = "kiln_session"
    /// What a user and each group name may hold: the characters of user names and group names Kiln's other
    /// identities use. Anything else is refused at sign-in and never lands in a cookie.
    static let nameLimit = 64
    static let groupLimit = 64

    var user: String
    var groups: [String]
    var expires: Int64
    var nonce: String

    var identity: Identity { Identity(username: user, groups: groups, method: .session) }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= nameLimit
            && name.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    || b == 0x2E || b == 0x5F || b == 0x2D || b == 0x40
            }
    }

    /// A new session for `user` and `groups` (names checked by the caller), `lifetime` seconds from `now`.
    static func start(user: String, groups: [String], now: Int64, lifetime: Int64) -> PageSession {
        var bytes = [UInt8](repeating: 0, count: 16)
        precondition(RAND_bytes(&bytes, 16) == 1, "RAND_bytes failed")
        return PageSession(user: user, groups: groups, expires: now + lifetime, nonce: Base64URL.encode(bytes))
    }

    /// The cookie value: base64url(JSON) "." base64url(HMAC).
    func cookieValue(key: [UInt8]) -> String {
        var o = JSONObject()
        o["u"] = .string(user)
        o["g"] = .array(groups.map { .string($0) })
        o["e"] = .int(expires)
        o["n"] = .string(nonce)
        let payload = Base64URL.encode(JSON.object(o).serializedBytes())
        return payload + "." + Base64URL.encode(Self.mac(key: key, Array(payload.utf8)))
    }

    /// The session a cookie value holds, when its signature is right, it has not ended and its names are valid.
    static func verify(_ value: String, key: [UInt8], now: Int64) -> PageSession? {
        guard value.utf8.count <= 4096 else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let mac = Base64URL.decode(String(parts[1])),
            constantTimeEqual(mac, Self.mac(key: key, Array(parts[0].utf8))),
            let payload = Base64URL.decode(String(parts[0])),
            let o = (try? JSONParser.parse(String(decoding: payload, as: UTF8.self)))?.objectValue,
            let user = o["u"]?.stringValue, isValidName(user),
            let groupValues = o["g"]?.arrayValue, groupValues.count <= groupLimit,
            let expires = o["e"]?.integerValue, expires > now,
            let nonce = o["n"]?.stringValue, !nonce.isEmpty
        else { return nil }
        let groups = groupValues.compactMap(\.stringValue)
        guard groups.count == groupValues.count, groups.allSatisfy(isValidName) else { return nil }
        return PageSession(user: user, groups: groups, expires: expires, nonce: nonce)
    }

    /// The token every form of this session carries: derived from the nonce, so it changes with each sign-in and
    /// cannot be made without the key.
    func csrfToken(key: [UInt8]) -> String {
        Base64URL.encode(Self.mac(key: key, Array(("csrf:" + nonce).utf8)))
    }

    func isValidCSRF(_ token: String?, key: [UInt8]) -> Bool {
        guard let token else { return false }
        return Self.constantTimeEqual(Array(token.utf8), Array(csrfToken(key: key).utf8))
    }

    static func mac(key: [UInt8], _ data: [UInt8]) -> [UInt8] { HMAC.sha256(key: key, data: data) }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
