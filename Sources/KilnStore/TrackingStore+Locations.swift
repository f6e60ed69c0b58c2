public import KilnCore

/// What `kiln track-locations` reads and writes: recorded locations, moves, the `removed` tag. Each change runs in
/// the caller's transaction with its change record and its CTS message, and first checks, under the compose's row
/// lock, that the compose is still as the job saw it (an API `set_url` in between wins; the next run judges again).
extension TrackingStore {
    /// The user location changes and imports are recorded under.
    public static let locationTracker = "kiln-track-locations"
    /// Advisory lock (class, key) one `kiln track-locations` run holds, so runs on several hosts take turns.
    static let locationLock = PGConnection.AdvisoryLock.pair(7075, 1)

    /// Every tracked compose's id, URL, release key and whether it carries `removed`.
    @available(*, noasync, message: "libpq blocks")
    public func trackedLocations() throws(KilnStoreError) -> [LocationReconciliation.Tracked] {
        let r = try connection.query(
            """
            SELECT c.compose_id, c.compose_url, c.release_short, c.release_version, c.date, c.respin,
                EXISTS (SELECT 1 FROM cts_compose_tags ct JOIN cts_tags t ON t.id = ct.tag_id WHERE ct.compose_id = c.id
                    AND t.name = 'removed')
                AS is_removed
            FROM cts_composes c ORDER BY c.compose_id
            """)
        var out: [LocationReconciliation.Tracked] = []
        out.reserveCapacity(r.rowCount)
        for row in r.rows {
            out.append(
                LocationReconciliation.Tracked(
                    composeID: try row.decode("compose_id"), url: try row.decode("compose_url", as: String?.self),
                    releaseKey: .init(
                        short: try row.decode("release_short"), version: try row.decode("release_version"),
                        date: try row.decode("date"), respin: try row.decode("respin")),
                    isRemoved: try row.decode("is_removed", as: Bool?.self) ?? false))
        }
        return out
    }

    /// Takes the run lock on this connection (a session lock: no transaction needed); false when another run has it.
    @available(*, noasync, message: "libpq blocks")
    public func tryLockLocationTracking() throws(KilnStoreError) -> Bool {
        try connection.tryAdvisoryLock(Self.locationLock)
    }

    @available(*, noasync, message: "libpq blocks")
    public func unlockLocationTracking() throws(KilnStoreError) {
        try connection.advisoryUnlock(Self.locationLock)
    }

    /// The compose, locked, when its URL is still `expectedURL`; nil otherwise.
    private func lockedIfUnchanged(_ composeID: String, expectedURL: String?) throws(KilnStoreError) -> TrackedCompose?
    {
        guard let compose = try compose(id: composeID, forUpdate: true), compose.composeURL == expectedURL else {
            return nil
        }
        return compose
    }

    /// Records that a compose lives at `url` now: `compose_url` updated, a `moved` change, a `compose-changed`
    /// message; a `removed` tag comes off (with its own change and message). Nil when the compose changed since it
    /// was read.
    @available(*, noasync, message: "libpq blocks")
    public func relocate(composeID: String, expectedURL: String?, to url: String, user: String) throws(KilnStoreError)
        -> TrackedCompose?
    {
        guard let compose = try lockedIfUnchanged(composeID, expectedURL: expectedURL) else { return nil }
        try connection.query("UPDATE cts_composes SET compose_url = \(url) WHERE id = \(compose.key)")
        let userID = try UserStore(connection).ensure(username: user)
        let message =
            expectedURL.map { "Compose found at \"\(url)\"; it was at \"\($0)\"." }
            ?? "Compose found at \"\(url)\"; no location was recorded."
        try connection.query(
            """
            INSERT INTO cts_compose_changes (compose_id, action, user_id, message) VALUES (\(compose.key), 'moved',
                \(userID), \(message))
            """)
        guard let moved = try self.compose(key: compose.key) else { throw KilnStoreError(.query, "compose vanished") }
        try announce("compose-changed", moved, agent: user)
        if moved.tags.contains("removed"), let removed = try tags.tag(named: "removed") {
            _ = try tags.apply(.untagger, tag: removed, to: moved, user: user, userData: "Found again at \(url).")
        }
        return try self.compose(key: compose.key)
    }

    /// Tags a compose `removed` because its directory is gone (change and `compose-tagged` message); false when it
    /// changed since it was read or already carries the tag.
    @available(*, noasync, message: "libpq blocks")
    public func markRemoved(composeID: String, expectedURL: String, directory: String, user: String)
        throws(KilnStoreError) -> Bool
    {
        try applyRemoved(.tagger, composeID, expectedURL, user: user, note: "Directory \(directory) is gone.")
    }

    /// Takes `removed` off a compose found at its recorded place again; false when it changed since it was read.
    @available(*, noasync, message: "libpq blocks")
    public func unmarkRemoved(composeID: String, expectedURL: String, directory: String, user: String)
        throws(KilnStoreError) -> Bool
    {
        try applyRemoved(.untagger, composeID, expectedURL, user: user, note: "Directory \(directory) is there again.")
    }

    private func applyRemoved(
        _ kind: TrackingTag.Kind, _ composeID: String, _ expectedURL: String, user: String, note: String
    ) throws(KilnStoreError) -> Bool {
        guard let compose = try lockedIfUnchanged(composeID, expectedURL: expectedURL) else { return false }
        guard let removed = try tags.tag(named: "removed") else {
            throw KilnStoreError(.query, "the removed tag is missing")
        }
        return try tags.apply(kind, tag: removed, to: compose, user: user, userData: note)
    }
}
