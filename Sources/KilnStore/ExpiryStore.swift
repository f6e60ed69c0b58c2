public import KilnCore

/// The database side of `kiln expire`: which composes are past their expiry, moving them (and the composes that
/// reuse them) to `removed` with ODCS's reasons, failing stuck ones, and what the leftover scan needs to know.
/// Files are never touched here: the job deletes them after these transactions commit.
public struct ExpiryStore {
    public let connection: PGConnection
    /// The compose JSON in removal messages carries URLs made with this.
    let configuration: ServiceConfiguration

    public init(_ connection: PGConnection, configuration: ServiceConfiguration) {
        self.connection = connection
        self.configuration = configuration
    }

    static let now = ComposeStore.now

    /// Done and failed composes past their expiry with an id above `afterID`, in id order.
    @available(*, noasync, message: "libpq blocks")
    public func expired(after afterID: Int64, limit: Int) throws(KilnStoreError) -> [Compose] {
        let r = try connection.query(
            """
            SELECT \(inline: ComposeStore.columns(full: false)) FROM composes
            WHERE state IN (2, 4) AND time_to_expire <= \(inline: Self.now) AND id > \(afterID)
            ORDER BY id LIMIT \(literal: limit)
            """)
        return try r.rows.map { row throws(KilnStoreError) in try ComposeStore.decode(row) }
    }

    /// Of `ids`, those whose files a live compose still uses: one in wait or generating that reuses it, or a done one
    /// that reuses it and is not past its own expiry.
    @available(*, noasync, message: "libpq blocks")
    public func reusedByLiveComposes(_ ids: [Int64]) throws(KilnStoreError) -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let r = try connection.query(
            """
            SELECT DISTINCT reused_id FROM composes
            WHERE reused_id = ANY(\(PGArray.integers(ids))::bigint[])
                AND (state IN (0, 1) OR (state = 2 AND time_to_expire > \(inline: Self.now)))
            """)
        var out = Set<Int64>()
        for row in r.rows { out.insert(try row.decode("reused_id")) }
        return out
    }

    /// ODCS's removal reason: "Removed by <user>." after a DELETE, else "Compose is expired.", after the old reason.
    static let removalReason: SQLQuery = """
        concat_ws(E'\\n', nullif(state_reason, ''),
            CASE WHEN removed_by IS NOT NULL THEN 'Removed by ' || removed_by || '.' ELSE 'Compose is expired.' END)
        """

    /// Moves `ids` to `removed`, with every done or failed compose reusing one of them (their files go with it),
    /// announcing each, in one transaction. Rechecks under the row locks, so a compose extended or newly reused
    /// since it was chosen is left alone. `reason` (reclaim) replaces ODCS's expiry reason when given.
    /// Returns the composes removed.
    @available(*, noasync, message: "libpq blocks")
    public func remove(_ ids: [Int64], reason: String? = nil, requireExpired: Bool = true) throws -> [Compose] {
        guard !ids.isEmpty else { return [] }
        return try connection.withTransaction { c in
            let expiredClause: SQLQuery = requireExpired ? "AND time_to_expire <= \(inline: Self.now)" : ""
            let locked = try c.query(
                """
                SELECT id FROM composes WHERE id = ANY(\(PGArray.integers(ids))::bigint[]) AND state IN (2, 4)
                    \(inline: expiredClause) ORDER BY id FOR UPDATE
                """)
            var still: [Int64] = []
            for row in locked.rows { still.append(try row.decode("id")) }
            let protected = try ExpiryStore(c, configuration: configuration).reusedByLiveComposes(still)
            let chosen = still.filter { !protected.contains($0) }
            guard !chosen.isEmpty else { return [] }
            let reasonSQL: SQLQuery
            if let reason {
                reasonSQL = "concat_ws(E'\\n', nullif(state_reason, ''), \(reason)::varchar)"
            } else {
                reasonSQL = Self.removalReason
            }
            let chosenIDs = PGArray.integers(chosen)
            let r = try c.query(
                """
                UPDATE composes SET state = 3, time_removed = \(inline: Self.now), state_reason = \(inline: reasonSQL)
                WHERE id = ANY(\(chosenIDs)::bigint[]) OR (reused_id = ANY(\(chosenIDs)::bigint[]) AND state IN (2, 4))
                RETURNING \(inline: ComposeStore.columns(full: false))
                """)
            var removed: [Compose] = []
            removed.reserveCapacity(r.rowCount)
            for row in r.rows { removed.append(try ComposeStore.decode(row)) }
            removed.sort { $0.id < $1.id }
            try OutboxStore(c).announceStateChanges(removed, configuration: configuration)
            return removed
        }
    }

    /// Composes stuck in `generating` since before `generatingSince`, or in `wait` since before `waitingSince`,
    /// with their ids (oldest first).
    @available(*, noasync, message: "libpq blocks")
    public func stuck(generatingLimitSeconds: Int64, waitLimitSeconds: Int64) throws(KilnStoreError) -> (
        generating: [Int64], waiting: [Int64]
    ) {
        let r = try connection.query(
            """
            SELECT id, state FROM composes
            WHERE (state = 1
                    AND time_started < \(inline: Self.now) - make_interval(secs => \(generatingLimitSeconds)::bigint))
               OR (state = 0
                    AND time_submitted < \(inline: Self.now) - make_interval(secs => \(waitLimitSeconds)::bigint))
            ORDER BY id
            """)
        var generating: [Int64] = []
        var waiting: [Int64] = []
        for row in r.rows {
            let id: Int64 = try row.decode("id")
            if try row.decode("state", as: ComposeState.self) == .generating {
                generating.append(id)
            } else {
                waiting.append(id)
            }
        }
        return (generating, waiting)
    }

    /// Fails a compose still in `from` (a generator may have finished it meanwhile), with the reusing composes, as
    /// `GenerationStore.finish` does. Returns the composes failed (empty when it had moved on).
    @available(*, noasync, message: "libpq blocks")
    public func failStuck(id: Int64, from state: ComposeState, reason: String) throws -> [Compose] {
        try connection.withTransaction { c in
            let r = try c.query("SELECT state FROM composes WHERE id = \(id) FOR UPDATE")
            guard r.rowCount == 1, try r.value("state", as: ComposeState.self) == state else { return [] }
            return try GenerationStore(c, configuration: configuration)
                .finish(id: id, state: .failed, reason: reason, on: c, requireGenerating: false)
        }
    }

    /// What the leftover scan needs of the composes it found directories for: state and reused id, by id.
    /// Ids with no compose are absent from the answer.
    @available(*, noasync, message: "libpq blocks")
    public func states(of ids: [Int64]) throws(KilnStoreError) -> [Int64: ComposeState] {
        guard !ids.isEmpty else { return [:] }
        let r = try connection.query(
            "SELECT id, state FROM composes WHERE id = ANY(\(PGArray.integers(ids))::bigint[])")
        var out: [Int64: ComposeState] = [:]
        for row in r.rows {
            out[try row.decode("id")] = ComposeState(rawValue: try row.decode("state"))
        }
        return out
    }

    /// The highest compose id ever stored (0 for none): a directory named after a higher id is not a leftover of
    /// this database (a wrong `database_url` must not wipe a compose volume).
    @available(*, noasync, message: "libpq blocks")
    public func maxID() throws(KilnStoreError) -> Int64 {
        try connection.query("SELECT coalesce(max(id), 0) AS max_id FROM composes").value("max_id")
    }

    /// Done composes a reclaim may remove, oldest first: not reused by a live compose. (Symlink protection is the
    /// job's to check: it is on the filesystem.)
    @available(*, noasync, message: "libpq blocks")
    public func reclaimCandidates(limit: Int) throws(KilnStoreError) -> [Compose] {
        let r = try connection.query(
            """
            SELECT \(inline: ComposeStore.columns(full: false)) FROM composes c
            WHERE c.state = 2 AND c.reused_id IS NULL
                AND NOT EXISTS (SELECT 1 FROM composes r WHERE r.reused_id = c.id
                    AND (r.state IN (0, 1) OR (r.state = 2 AND r.time_to_expire > \(inline: Self.now))))
            ORDER BY coalesce(c.time_done, c.time_submitted), c.id LIMIT \(literal: limit)
            """)
        return try r.rows.map { row throws(KilnStoreError) in try ComposeStore.decode(row) }
    }

    /// Bytes held by composes per state (trigger-kept).
    @available(*, noasync, message: "libpq blocks")
    public func bytesByState() throws(KilnStoreError) -> [ComposeState: Int64] {
        try Self.bytesByState(connection)
    }

    @available(*, noasync, message: "libpq blocks")
    public static func bytesByState(_ c: PGConnection) throws(KilnStoreError) -> [ComposeState: Int64] {
        let r = try c.query("SELECT state, bytes FROM compose_bytes")
        var out: [ComposeState: Int64] = [:]
        for row in r.rows {
            if let s = ComposeState(rawValue: try row.decode("state")) {
                out[s] = try row.decode("bytes", as: Int64.self)
            }
        }
        return out
    }

    /// Bytes whose files are on the compose volume: done and failed composes (a removed one's are deleted).
    @available(*, noasync, message: "libpq blocks")
    public static func bytesOnDisk(_ c: PGConnection) throws(KilnStoreError) -> Int64 {
        bytesOnDisk(try bytesByState(c))
    }

    public static func bytesOnDisk(_ b: [ComposeState: Int64]) -> Int64 {
        (b[.done] ?? 0) + (b[.failed] ?? 0) + (b[.generating] ?? 0)
    }

    /// Records a compose's size once its files are in place.
    @available(*, noasync, message: "libpq blocks")
    public static func recordSize(_ c: PGConnection, id: Int64, bytes: Int64) throws(KilnStoreError) {
        try c.query("UPDATE composes SET size_bytes = \(bytes) WHERE id = \(id)")
    }

    /// Sets `reason` on waiting composes that do not carry it yet (the disk-space guard); returns how many changed.
    @available(*, noasync, message: "libpq blocks")
    @discardableResult
    public static func holdWaiting(_ c: PGConnection, reason: String) throws(KilnStoreError) -> Int {
        let r = try c.query(
            """
            UPDATE composes SET state_reason = \(reason) WHERE state = 0 AND state_reason IS DISTINCT FROM \(reason)
                RETURNING id
            """)
        return r.rowCount
    }
}
