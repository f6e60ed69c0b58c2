public import KilnCore

/// What `kiln promote` keeps: when each rule last ran (migration 0007).
extension TrackingStore {
    /// The user promotions are recorded under.
    public static let promoter = "kiln-promote"

    /// When `rule` last ran and the database's clock now. With `lock` (inside a transaction), the rule's row is
    /// created when missing and locked until the transaction ends, so one rule runs once at a time across hosts.
    @available(*, noasync, message: "libpq blocks")
    public func promotionRun(rule: String, lock: Bool) throws(KilnStoreError) -> (lastRun: Timestamp?, now: Timestamp) {
        if lock {
            try connection.query(
                "INSERT INTO cts_promotion_runs (rule_name) VALUES (\(rule)) ON CONFLICT (rule_name) DO NOTHING")
        }
        let forUpdate: SQLQuery = lock ? " FOR UPDATE" : ""
        let r = try connection.query(
            """
            SELECT extract(epoch FROM now())::bigint AS now,
                (SELECT extract(epoch FROM last_run_at)::bigint FROM cts_promotion_runs
                    WHERE rule_name = \(rule)\(inline: forUpdate))
                AS last_run_at
            """)
        let now: Timestamp = try r.value("now")
        let last = try r.value("last_run_at", as: Timestamp?.self)
        return (last, now)
    }

    /// Records that `rule` ran now and chose `composeID` (nil: nothing was eligible).
    @available(*, noasync, message: "libpq blocks")
    public func recordPromotionRun(rule: String, composeID: String?) throws(KilnStoreError) {
        try connection.query(
            """
            INSERT INTO cts_promotion_runs (rule_name, last_run_at, last_compose_id)
            VALUES (\(rule), date_trunc('second', now() AT TIME ZONE 'utc'), \(composeID))
            ON CONFLICT (rule_name) DO UPDATE SET last_run_at = EXCLUDED.last_run_at,
                last_compose_id = EXCLUDED.last_compose_id
            """)
    }
}
