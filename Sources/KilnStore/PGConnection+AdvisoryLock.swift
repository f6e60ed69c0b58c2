/// Session-level advisory locks: held by this connection until released or until the session ends (so a killed
/// process cannot keep one), taken without waiting.
extension PGConnection {
    /// An advisory lock's key: one bigint, or a class and an id (two integers).
    public enum AdvisoryLock: Sendable, Equatable {
        case key(Int64)
        case pair(Int64, Int64)

        var arguments: SQLQuery {
            switch self {
            case .key(let key): "\(key)::bigint"
            case .pair(let lockClass, let id): "\(lockClass)::int, \(id)::int"
            }
        }
    }

    /// True when this connection now holds `lock` (or already did); false when another session holds it.
    @available(*, noasync, message: "libpq blocks")
    public func tryAdvisoryLock(_ lock: AdvisoryLock) throws(KilnStoreError) -> Bool {
        try query("SELECT pg_try_advisory_lock(\(inline: lock.arguments)) AS locked").value("locked")
    }

    @available(*, noasync, message: "libpq blocks")
    public func advisoryUnlock(_ lock: AdvisoryLock) throws(KilnStoreError) {
        try query("SELECT pg_advisory_unlock(\(inline: lock.arguments))")
    }
}
