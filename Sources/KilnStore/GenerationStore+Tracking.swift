public import KilnCore

extension GenerationStore {
    /// Moves a generated compose to `done` and registers it in compose tracking (builder `kiln`), in one
    /// transaction: a compose is tracked exactly when it is done. Parents and `respin_of` that are not tracked are
    /// not linked; they are returned so the caller can log them. A compose no longer generating (failed as stuck by
    /// `kiln expire` meanwhile) is neither finished nor tracked: `finished` is false. `contents` (the compose's
    /// rpms.json) is recorded with the tracking record, and `seconds` (the generation's time) in the histogram.
    @available(*, noasync, message: "libpq blocks")
    @discardableResult
    public func finishTracked(
        id: Int64, reason: String, tracking: ComposeImportRequest?, contents: ComposeContents? = nil,
        worker: String? = nil, seconds: Double? = nil
    ) throws -> (finished: Bool, skipped: [String]) {
        try connection.withTransaction { c in
            let changed = try finish(id: id, state: .done, reason: reason, on: c, worker: worker, seconds: seconds)
            guard !changed.isEmpty else { return (false, []) }
            guard let tracking else { return (true, []) }
            let outcome = try TrackingStore(c).importCompose(
                tracking, builder: ComposeImportRequest.kilnBuilder, odcsComposeID: id, exactRespin: true,
                skipUnknownRelations: true)
            if let contents {
                try ComposeContentsStore(c).replace(
                    key: outcome.compose.key, with: contents, source: .generated, by: ComposeImportRequest.kilnBuilder)
            }
            return (true, outcome.skippedRelations)
        }
    }
}
