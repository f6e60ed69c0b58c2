/// How close a service token is to its expiry, as `kiln check-token` reports it.
public enum TokenStatus: String, Sendable, Equatable, CaseIterable {
    /// More than `warnDays` left.
    case ok
    /// Fewer than `warnDays` left: logged as a warning, the job still succeeds.
    case warning
    /// Fewer than `failDays` left: the job fails, so the unit shows in `systemctl --failed`.
    case failing
    case expired
    /// Missing, unparseable, without an expiry, or refused by the introspection endpoint.
    case unreadable

    /// The expiry times a token may state (seconds since the epoch, up to 9999-12-31T23:59:59Z). A claim outside
    /// them is refused where it is read, so no arithmetic or timestamp ever sees it.
    public static let expiryRange: ClosedRange<Int64> = 0...253_402_300_799

    /// `exp` as a JWT or an introspection answer gives it (a JSON number, whole or not), when it is in
    /// `expiryRange`.
    public static func expiry(_ value: JSON?) -> Int64? {
        let seconds: Int64?
        switch value {
        case .int(let i)?: seconds = i
        case .double(let d)?
        where d.isFinite && Double(expiryRange.lowerBound) <= d
            && d <= Double(expiryRange.upperBound):
            seconds = Int64(d.rounded(.down))
        default: seconds = nil
        }
        guard let seconds, expiryRange.contains(seconds) else { return nil }
        return seconds
    }

    /// Whether `kiln check-token` exits non-zero for it.
    public var fails: Bool { self != .ok && self != .warning }

    /// The status of a token expiring at `expiresAt` (seconds since the epoch), checked at `now`.
    public static func classify(expiresAt: Int64, now: Int64, warnDays: Int64, failDays: Int64) -> TokenStatus {
        let left = expiresAt - now
        if left <= 0 { return .expired }
        if left < failDays * 86400 { return .failing }
        if left < warnDays * 86400 { return .warning }
        return .ok
    }

    /// The gauge value in /api/1/metrics/ (`kiln_service_token_status`).
    public var metricValue: Int {
        switch self {
        case .ok: 0
        case .warning: 1
        case .failing: 2
        case .expired: 3
        case .unreadable: 4
        }
    }
}
