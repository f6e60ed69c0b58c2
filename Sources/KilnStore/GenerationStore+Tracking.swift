public import KilnCore

extension GenerationStore {
    /// Moves a generated compose to `done` and registers it in compose tracking (builder `kiln`), in one
    /// transaction: a compose is tracked exactly when it is done. Parents and `respin_of` that are not tracked are
    /// not linked; they are returned so the caller can log them.
    @available(*, noasync, message: "libpq blocks")
    @discardableResult
    public func finishTracked(id: Int64, reason: String, tracking: ComposeImportRequest?) throws -> [String] {
        try connection.withTransaction { c in
            _ = try finish(id: id, state: .done, reason: reason, on: c)
            guard let tracking else { return [] }
            let outcome = try TrackingStore(c, topicPrefix: topicPrefix).importCompose(
                tracking, builder: ComposeImportRequest.kilnBuilder, odcsComposeID: id, exactRespin: true, skipUnknownRelations: true)
            return outcome.skippedRelations
        }
    }
}
