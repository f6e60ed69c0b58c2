internal import Foundation
public import KilnConfiguration
internal import KilnCore
internal import KilnHTTP
internal import KilnPlatform
public import KilnStore
public import Logging

/// `kiln check-token`: how long each configured service token has left. A JWT's `exp` is read from the token
/// itself; an opaque token (or any token with an `introspection_url`) is asked about at the OIDC provider's RFC 7662
/// introspection endpoint. Warns from `token_warn_days` before expiry; fails (non-zero exit, so the unit shows in
/// `systemctl --failed`) from `token_fail_days`, when expired, and when the token cannot be read or checked.
public struct CheckTokenJob: Sendable {
    public let configuration: KilnConfiguration
    public let logger: Logger

    public init(configuration: KilnConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    static let renewal =
        "Renew it as docs/operations.md (\"Renewing the service token\") says, then run `kiln check-token` again."

    /// Checks `tokens` (the configured ones by default), records each result when the database is reachable, logs
    /// it, and returns the results.
    @available(*, noasync, message: "blocks")
    public func run(tokens: [OperationsConfiguration.ServiceToken]? = nil, now: Int64? = nil) -> [TokenCheckStore.Check]
    {
        let now = now ?? Platform.epochSeconds()
        let list = tokens ?? configuration.operations.serviceTokens
        let results = list.map { check($0, now: now) }
        for r in results {
            let metadata: Logger.Metadata = ["kiln.token": "\(r.name)", "kiln.token.status": "\(r.status.rawValue)"]
            switch r.status {
            case .ok: logger.info("\(r.message)", metadata: metadata)
            case .warning: logger.warning("\(r.message)", metadata: metadata)
            default: logger.error("\(r.message)", metadata: metadata)
            }
        }
        if tokens == nil {
            do {
                let c = try PGConnection.connect(configuration.databaseURL)
                defer { c.close() }
                let store = TokenCheckStore(c)
                for r in results { try store.record(r) }
                try store.keepOnly(list.map(\.name))
            } catch {
                logger.warning(
                    "token check results not recorded for /api/1/metrics/", metadata: ["kiln.error": "\(error)"])
            }
        }
        return results
    }

    @available(*, noasync, message: "blocks")
    func check(_ token: OperationsConfiguration.ServiceToken, now: Int64) -> TokenCheckStore.Check {
        func result(_ status: TokenStatus, _ expiresAt: Int64?, _ text: String) -> TokenCheckStore.Check {
            TokenCheckStore.Check(name: token.name, checkedAt: now, expiresAt: expiresAt, status: status, message: text)
        }
        guard let raw = Platform.readTextFile(token.file) else {
            return result(.unreadable, nil, "Token \(token.name): cannot read \(token.file). \(Self.renewal)")
        }
        let text = raw.trimmingWhitespace()
        guard !text.isEmpty else {
            return result(.unreadable, nil, "Token \(token.name): \(token.file) is empty. \(Self.renewal)")
        }
        let expiresAt: Int64
        if let url = token.introspectionURL {
            switch introspect(text, token: token, url: url) {
            case .success(let exp): expiresAt = exp
            case .failure(let why): return result(.unreadable, nil, "Token \(token.name): \(why). \(Self.renewal)")
            }
        } else {
            guard let exp = Self.jwtExpiry(text) else {
                return result(
                    .unreadable, nil,
                    "Token \(token.name): \(token.file) does not hold a JWT with an \"exp\" claim (set "
                        + "introspection_url for an opaque token). \(Self.renewal)"
                )
            }
            expiresAt = exp
        }
        let ops = configuration.operations
        let status = TokenStatus.classify(
            expiresAt: expiresAt, now: now, warnDays: ops.tokenWarnDays, failDays: ops.tokenFailDays)
        let when = Timestamp(secondsSinceEpoch: expiresAt).iso8601
        let days = (expiresAt - now) / 86400
        switch status {
        case .ok: return result(status, expiresAt, "Token \(token.name) expires on \(when) (\(days) days left).")
        case .warning:
            return result(
                status, expiresAt,
                "Token \(token.name) expires on \(when), in \(days) days (warning from "
                    + "\(ops.tokenWarnDays) days). \(Self.renewal)"
            )
        case .failing:
            return result(
                status, expiresAt,
                "Token \(token.name) expires on \(when), in \(days) days (failing from "
                    + "\(ops.tokenFailDays) days). \(Self.renewal)"
            )
        default:
            return result(.expired, expiresAt, "Token \(token.name) expired on \(when). \(Self.renewal)")
        }
    }

    /// The `exp` claim of a JWT (`header.payload.signature`, base64url); nil when it is not one or has no number `exp`
    /// in `TokenStatus.expiryRange`.
    /// The signature is not checked: this only asks when the token stops working.
    static func jwtExpiry(_ token: String) -> Int64? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        guard let bytes = Base64URL.decode(String(parts[1])),
            let claims = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self)).objectValue
        else { return nil }
        return TokenStatus.expiry(claims["exp"])
    }

    enum Introspection {
        case success(Int64)
        case failure(String)
    }

    /// RFC 7662: POST `token=...` with the client's credentials (HTTP Basic); an active token's `exp`.
    @available(*, noasync, message: "libcurl blocks")
    func introspect(_ token: String, token config: OperationsConfiguration.ServiceToken, url: String) -> Introspection {
        var headers: [String: String] = ["Accept": "application/json"]
        if let id = config.clientID {
            var secret = ""
            if let file = config.clientSecretFile {
                guard let s = Platform.readTextFile(file) else {
                    return .failure("cannot read the client secret file \(file)")
                }
                secret = s.trimmingWhitespace()
            }
            headers["Authorization"] =
                "Basic "
                + Base64.encode(Array("\(percentEncode(id)):\(percentEncode(secret))".utf8), lineLength: Int.max)
                .trimmingWhitespace()
        }
        let body = "token=\(percentEncode(token))&token_type_hint=access_token"
        do {
            let client = try HTTPClient()
            let response = try client.post(
                url, body: Array(body.utf8), contentType: "application/x-www-form-urlencoded", headers: headers)
            guard response.status == 200 else {
                return .failure("the introspection endpoint \(url) answered HTTP \(response.status)")
            }
            guard let o = try? JSONParser.parse(String(decoding: response.body, as: UTF8.self)).objectValue else {
                return .failure("the introspection endpoint \(url) did not answer a JSON object")
            }
            guard case .bool(true) = o["active"] else {
                return .failure("the OIDC provider says the token is not active (expired or revoked)")
            }
            guard let exp = TokenStatus.expiry(o["exp"]) else {
                return .failure("the OIDC provider reports no \"exp\" (or one out of range) for the token")
            }
            return .success(exp)
        } catch {
            return .failure("cannot reach the introspection endpoint \(url): \(error)")
        }
    }
}
