public import KilnCore

/// The backend's side of `composes`: claiming waiting composes, progress, completion, and recovery of composes
/// whose generator died. A claimed compose is held by a session-level advisory lock on the claiming connection,
/// so "is anybody still generating it?" is a question PostgreSQL can answer even after a kill -9.
public struct GenerationStore {
    public let connection: PGConnection
    /// Every state change is announced in its own transaction through the outbox; the compose JSON in those
    /// messages carries URLs made with this.
    let configuration: ServiceConfiguration

    public init(_ connection: PGConnection, configuration: ServiceConfiguration) {
        self.connection = connection
        self.configuration = configuration
    }

    private func announce(_ composes: [Compose], on c: PGConnection) throws(KilnStoreError) {
        try OutboxStore(c).announceStateChanges(composes, configuration: configuration)
    }

    static let lockClass: Int64 = 7071

    /// A compose's advisory lock: (7071, id).
    static func lock(_ id: Int64) -> PGConnection.AdvisoryLock { .pair(lockClass, id) }

    /// Takes the oldest waiting compose nobody else is taking, moves it to `generating` and keeps its advisory lock
    /// on this connection until `release(id:)` (or the connection ends). Returns nil when none is waiting.
    @available(*, noasync, message: "libpq blocks")
    public func claimNext(worker: String) throws -> Compose? {
        try connection.withTransaction { c -> Compose? in
            let r = try c.query("SELECT id FROM composes WHERE state = 0 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
            guard r.rowCount == 1 else { return nil }
            let id: Int64 = try r.value("id")
            let locked = try c.tryAdvisoryLock(Self.lock(id))
            guard locked else { return nil }
            try c.query(
                """
                UPDATE composes SET generation_attempts = generation_attempts + 1, generated_by = \(worker),
                    progress_phase = 'queued', progress_done = 0, progress_total = 0
                WHERE id = \(id)
                """)
            let compose = try ComposeStore(c).transition(id: id, to: .generating, reason: "Compose thread started")
            try announce([compose], on: c)
            return compose
        }
    }

    /// Takes the compose's advisory lock on this connection if nobody holds it: a generator re-taking its compose
    /// after a reconnect, or the recovery acting on a compose nobody generates. Give it back with `release(id:)`.
    @available(*, noasync, message: "libpq blocks")
    public func tryLock(id: Int64) throws(KilnStoreError) -> Bool {
        try connection.tryAdvisoryLock(Self.lock(id))
    }

    /// Whether `worker` still generates the compose: it is `generating` and claimed by `worker`.
    @available(*, noasync, message: "libpq blocks")
    public func isGenerating(id: Int64, by worker: String) throws(KilnStoreError) -> Bool {
        let r = try connection.query("SELECT state, generated_by FROM composes WHERE id = \(id)")
        guard r.rowCount == 1 else { return false }
        let state = try r.value("state", as: ComposeState.self)
        let generatedBy = try r.value("generated_by", as: String?.self)
        return state == .generating && generatedBy == worker
    }

    /// The compose's state now, nil when there is no such compose.
    @available(*, noasync, message: "libpq blocks")
    public func state(id: Int64) throws(KilnStoreError) -> ComposeState? {
        let r = try connection.query("SELECT state FROM composes WHERE id = \(id)")
        guard r.rowCount == 1 else { return nil }
        return ComposeState(rawValue: try r.value("state"))
    }

    /// Drops the advisory lock of a compose this connection claimed.
    @available(*, noasync, message: "libpq blocks")
    public func release(id: Int64) throws(KilnStoreError) {
        try connection.advisoryUnlock(Self.lock(id))
    }

    @available(*, noasync, message: "libpq blocks")
    public func setProgress(id: Int64, phase: String, done: Int, total: Int) throws(KilnStoreError) {
        try connection.query(
            """
            UPDATE composes SET progress_phase = \(phase), progress_done = \(done), progress_total = \(total)
                WHERE id = \(id)
            """)
    }

    @available(*, noasync, message: "libpq blocks")
    public func progress(id: Int64) throws(KilnStoreError) -> (phase: String, done: Int, total: Int)? {
        let r = try connection.query(
            "SELECT progress_phase, progress_done, progress_total FROM composes WHERE id = \(id)")
        guard let row = r.first, let phase = try row.decode("progress_phase", as: String?.self) else { return nil }
        let done = try row.decode("progress_done", as: Int?.self) ?? 0
        return (phase, done, try row.decode("progress_total", as: Int?.self) ?? 0)
    }

    /// Whether another compose already carries this productmd id.
    @available(*, noasync, message: "libpq blocks")
    public func isPungiComposeIDTaken(_ pungiID: String) throws(KilnStoreError) -> Bool {
        try connection.query("SELECT count(*) AS count FROM composes WHERE pungi_compose_id = \(pungiID)")
            .value("count", as: Int64.self) > 0
    }

    /// Records the compose's productmd id and pinned source revision, before its files are put in place.
    @available(*, noasync, message: "libpq blocks")
    public func record(id: Int64, pungiComposeID: String, kojiEvent: Int64?) throws(KilnStoreError) {
        try connection.query(
            """
            UPDATE composes SET pungi_compose_id = \(pungiComposeID), koji_event = coalesce(\(kojiEvent), koji_event)
                WHERE id = \(id)
            """)
    }

    /// Moves a compose (and, as ODCS's `transition` does, every compose waiting on it through `reused_id`) to done or
    /// failed, announcing each, in one transaction. Returns every compose that changed. `seconds`, the time its
    /// generator spent on it, goes into the generation-time histogram in the same transaction.
    @available(*, noasync, message: "libpq blocks")
    @discardableResult
    public func finish(
        id: Int64, state: ComposeState, reason: String, worker: String? = nil, seconds: Double? = nil
    ) throws -> [Compose] {
        try connection.withTransaction { c in
            try finish(id: id, state: state, reason: reason, on: c, worker: worker, seconds: seconds)
        }
    }

    /// With `worker`, only the generator that claimed the compose finishes it (after a database restart the
    /// recovery may have queued it again, and another generator taken it).
    func finish(
        id: Int64, state: ComposeState, reason: String, on c: PGConnection, requireGenerating: Bool = true,
        worker: String? = nil, seconds: Double? = nil
    ) throws(KilnStoreError) -> [Compose] {
        let store = ComposeStore(c)
        // Only a compose still generating finishes: `kiln expire` may have failed it as stuck meanwhile.
        if requireGenerating {
            let current = try c.query("SELECT state, generated_by FROM composes WHERE id = \(id) FOR UPDATE")
            guard let row = current.first, try row.decode("state", as: ComposeState.self) == .generating else {
                return []
            }
            if let worker, try row.decode("generated_by", as: String?.self) != worker { return [] }
        }
        try c.query("UPDATE composes SET progress_phase = \(state.name) WHERE id = \(id)")
        var changed = [try store.transition(id: id, to: state, reason: reason)]
        let reusing = try c.query("SELECT id FROM composes WHERE reused_id = \(id) AND state = 1 ORDER BY id")
        for row in reusing.rows {
            changed.append(try store.transition(id: try row.decode("id"), to: state, reason: reason))
        }
        try announce(changed, on: c)
        if let seconds { try Self.recordDuration(c, id: id, state: state, seconds: seconds) }
        return changed
    }

    /// What a source resolved to (a `pulp` compose's arches and
    /// sigkeys, and its source when absent repos were dropped).
    @available(*, noasync, message: "libpq blocks")
    public func recordResolvedSource(id: Int64, source: String?, arches: String, sigkeys: String) throws(KilnStoreError)
    {
        try connection.query(
            """
            UPDATE composes SET source = coalesce(\(source), source), arches = \(arches), sigkeys = \(sigkeys)
                WHERE id = \(id)
            """)
    }

    /// The Pungi configuration a raw_config compose was made with (Pungi's config dump).
    @available(*, noasync, message: "libpq blocks")
    public func recordConfigDump(id: Int64, dump: String) throws(KilnStoreError) {
        try connection.query("UPDATE composes SET pungi_config_dump = \(dump) WHERE id = \(id)")
    }

    /// What a `pungi_compose` source resolved to: the builds, packages, arches and sigkeys of the external compose.
    @available(*, noasync, message: "libpq blocks")
    public func recordResolvedBuilds(id: Int64, builds: String, packages: String, arches: String, sigkeys: String)
        throws(KilnStoreError)
    {
        try connection.query(
            """
            UPDATE composes SET builds = \(builds), packages = \(packages), arches = \(arches), sigkeys = \(sigkeys)
                WHERE id = \(id)
            """)
    }

    /// Sets the reason other generators look for before reusing a compose still being generated.
    @available(*, noasync, message: "libpq blocks")
    public func markGenerating(id: Int64) throws(KilnStoreError) {
        try connection.query(
            "UPDATE composes SET state_reason = 'Compose is generating' WHERE id = \(id) AND state = 1")
    }

    /// Marks `id` as reusing `old`: same files, same productmd id, and both expire at the later of their expiries.
    @available(*, noasync, message: "libpq blocks")
    /// Returns false, changing nothing, when `old` is no longer reusable: `kiln expire` may have removed it (or be
    /// about to) since it was chosen. Its row is locked first, as the expire job locks it, so either the expire
    /// job sees this compose reusing it (and keeps it), or this sees it gone. Run it in a transaction.
    @discardableResult
    public func reuse(id: Int64, of old: Compose) throws(KilnStoreError) -> Bool {
        let current = try connection.query(
            """
            SELECT 1 FROM composes WHERE id = \(old.id)
                AND (state = 1 OR (state = 2 AND time_to_expire > date_trunc('second', now() AT TIME ZONE 'utc')))
            FOR UPDATE
            """)
        guard current.rowCount == 1 else { return false }
        try connection.query(
            """
            UPDATE composes SET reused_id = \(old.id), pungi_compose_id = \(old.pungiComposeID),
                koji_event = \(old.kojiEvent),
                time_to_expire = greatest(time_to_expire, (SELECT time_to_expire FROM composes WHERE id = \(old.id)))
            WHERE id = \(id)
            """)
        try connection.query(
            """
            UPDATE composes SET time_to_expire = greatest(time_to_expire,
                (SELECT time_to_expire FROM composes WHERE id = \(id)))
            WHERE id = \(old.id)
            """)
        return true
    }

    /// ODCS's reuse candidates: same source type, older, not reusing anything; done ones newest first,
    /// then generating ones (reason "Compose is generating") oldest first. Each kind is bounded on its own (200), so
    /// a long history of done composes never hides the compose being generated right now.
    @available(*, noasync, message: "libpq blocks")
    public func reuseCandidates(for compose: Compose) throws(KilnStoreError) -> [Compose] {
        let type = compose.sourceType.rawValue
        let r = try connection.query(
            """
            SELECT * FROM (
                (SELECT \(inline: ComposeStore.columns()) FROM composes
                 WHERE source_type = \(literal: type) AND id < \(compose.id) AND reused_id IS NULL AND state = 2
                 ORDER BY id DESC LIMIT 200)
                UNION ALL
                (SELECT \(inline: ComposeStore.columns()) FROM composes
                 WHERE source_type = \(literal: type) AND id < \(compose.id) AND reused_id IS NULL AND state = 1
                    AND state_reason = 'Compose is generating'
                 ORDER BY id LIMIT 200)) AS candidates
            ORDER BY state DESC, CASE WHEN state = 2 THEN -id ELSE id END
            """)
        var out: [Compose] = []
        for row in r.rows { out.append(try ComposeStore.decode(row)) }
        return out
    }

    public enum Recovery: Sendable, Equatable {
        /// Back to `wait` for another attempt.
        case retried(Int64)
        /// Given up: moved to `failed`.
        case failed(Int64)
    }

    /// Finds `generating` composes whose generator is gone (nobody holds their advisory lock): the first time back to
    /// `wait`, after `maxAttempts` attempts to `failed`. Composes reusing another one are left to the cascade.
    /// A database restart ends every session, so it frees the locks of generators that are alive and reconnecting:
    /// a compose whose generation started before the server did is left alone for `graceSeconds` after the start,
    /// and if still unclaimed then, queued again without counting the attempt.
    @available(*, noasync, message: "libpq blocks")
    public func recoverAbandoned(maxAttempts: Int = 2, graceSeconds: Int64 = 60) throws -> [Recovery] {
        try connection.withTransaction { c in
            let r = try c.query(
                """
                SELECT id, generation_attempts,
                    coalesce(time_started < pg_postmaster_start_time() AT TIME ZONE 'utc', false)
                        AS started_before_server,
                    now() - pg_postmaster_start_time() < make_interval(secs => \(graceSeconds)) AS in_grace
                FROM composes WHERE state = 1 AND reused_id IS NULL ORDER BY id FOR UPDATE SKIP LOCKED
                """)
            var recovered: [Recovery] = []
            for row in r.rows {
                let id: Int64 = try row.decode("id")
                let attempts: Int64 = try row.decode("generation_attempts")
                let startedBeforeServer = try row.decode("started_before_server", as: Bool?.self) == true
                if startedBeforeServer, try row.decode("in_grace", as: Bool?.self) == true { continue }
                // Free means its generator's session ended; we take the lock only to ask, and give it back at once.
                guard try c.tryAdvisoryLock(Self.lock(id)) else { continue }
                try c.advisoryUnlock(Self.lock(id))
                if startedBeforeServer || attempts < maxAttempts {
                    let reason =
                        startedBeforeServer
                        ? "The database restarted while the compose was generating; queued again"
                        : "Generator stopped unexpectedly; queued again"
                    let used = startedBeforeServer ? 1 : 0
                    try c.query(
                        """
                        UPDATE composes SET state = 0, state_reason = \(reason),
                            generation_attempts = generation_attempts - \(used), time_started = NULL,
                            progress_phase = 'queued', progress_done = 0, progress_total = 0
                        WHERE id = \(id)
                        """)
                    recovered.append(.retried(id))
                    if let compose = try ComposeStore(c).get(id: id) { try announce([compose], on: c) }
                } else {
                    let reason = "Error while generating compose: the generator stopped unexpectedly \(attempts) times"
                    _ = try finish(id: id, state: .failed, reason: reason, on: c)
                    recovered.append(.failed(id))
                }
            }
            return recovered
        }
    }
}
