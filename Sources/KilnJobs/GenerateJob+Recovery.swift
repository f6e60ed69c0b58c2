internal import Foundation
internal import KilnCompose
internal import KilnConfiguration
internal import KilnCore
internal import KilnPlatform
internal import KilnStore
internal import Logging

/// Recording a generated compose and recovering from generators that stopped: a tree is served only once its
/// compose is done, and a compose that is not done has no tree, link or `.repo` served.
extension GenerateJob {
    /// Requeues (or fails) composes whose generator died and takes their files off the disk (a compose that is not
    /// done has no tree, link or `.repo` served), then places the staged trees of composes recorded done whose
    /// generator stopped before placing them.
    @available(*, noasync, message: "blocks")
    func recover(on c: PGConnection) throws {
        let grace = configuration.operations.generatorReconnectSeconds
        for outcome in try store(c).recoverAbandoned(graceSeconds: grace) {
            let id: Int64
            switch outcome {
            case .retried(let i):
                id = i
                logger.warning("compose requeued after its generator stopped", metadata: ["kiln.compose.id": "\(i)"])
            case .failed(let i):
                id = i
                logger.error("compose failed after its generator stopped twice", metadata: ["kiln.compose.id": "\(i)"])
            }
            // Under the compose's lock: a generator that claims it meanwhile has its own work directory, not gone.
            guard try store(c).tryLock(id: id) else { continue }
            defer { _ = try? store(c).release(id: id) }
            if let compose = try ComposeStore(c).get(id: id) { unplace(compose) }
        }
        try placeStaged(on: c)
    }

    /// The roots a compose may be written under.
    var roots: [String] {
        [service.targetDir] + service.extraTargetDirs.values.sorted().filter { $0 != service.targetDir }
    }

    /// Staged trees left by generators that stopped: placed when their compose is done, removed when it is not
    /// (it is generated again, or failed). Each compose's lock is held meanwhile, so no generator races this.
    @available(*, noasync, message: "blocks")
    func placeStaged(on c: PGConnection) throws {
        let generations = store(c)
        for root in Set(roots) {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            for entry in entries where entry.hasPrefix(".tmp-odcs-") && entry.hasSuffix("-ready") {
                guard let id = LeftoverName.composeID(ofWorkDirectory: entry),
                    entry == ComposeWriter.stagedName(name: "odcs-\(id)")
                else { continue }
                guard try generations.tryLock(id: id) else { continue }
                defer { _ = try? generations.release(id: id) }
                let compose = try ComposeStore(c).get(id: id)
                let writer = ComposeWriter(targetDir: root, name: "odcs-\(id)")
                var logger = logger
                logger[metadataKey: "kiln.compose.id"] = "\(id)"
                switch compose?.state {
                case .done?:
                    place(compose!, writer: writer, logger: logger)
                    logger.warning("staged tree of a done compose placed after its generator stopped")
                case .generating?:
                    continue // its generator is gone; `recoverAbandoned` decides (after a database restart's grace)
                default:
                    do { try ContainedDirectory(path: root).removeTree(entry) } catch {
                        logger.error("cannot remove a staged tree", metadata: ["kiln.error": "\(error)"])
                    }
                    logger.warning("staged tree of a compose that is not done removed")
                }
            }
        }
    }

    /// Places a done compose's staged tree and its links; a link that cannot be made (a directory or file where it
    /// goes, an invalid compose type or label on an old row) is logged and skipped.
    func place(_ compose: Compose, writer: ComposeWriter, logger: Logger) {
        var links: ComposeLinks?
        if let pungiID = compose.pungiComposeID {
            do {
                links = try ComposeLinks(
                    composeID: compose.id, composeType: compose.composeType,
                    pungiComposeID: pungiID, label: compose.label)
            } catch {
                logger.error("compose links not written", metadata: ["kiln.error": "\(error.message)"])
            }
        }
        do {
            for failure in try writer.place(links: links) {
                logger.error("compose link not written", metadata: ["kiln.error": "\(failure)"])
            }
        } catch {
            logger.error("cannot place the compose tree", metadata: ["kiln.error": "\(error)"])
        }
    }

    /// Takes a compose that is not done off the disk: work directories, staged tree, tree and links.
    func unplace(_ compose: Compose) {
        let name = compose.name
        removeTemporaries(name: name)
        let type = compose.composeType ?? "test"
        let linkDirectory = ComposeID.ComposeType(rawValue: type) != nil ? type : nil
        do {
            let writer = ComposeWriter(targetDir: compose.targetDir ?? service.targetDir, name: name)
            try writer.unplace(linkDirectory: linkDirectory)
        } catch {
            logger.error(
                "cannot remove the files of a compose that is not done",
                metadata: [
                    "kiln.compose.id": "\(compose.id)", "kiln.error": "\(error)",
                ])
        }
    }

    func removeTemporaries(name: String) {
        let prefix = ComposeWriter.temporaryPrefix(name: name)
        for root in Set(roots) {
            guard let directory = try? ContainedDirectory(path: root) else { continue }
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            for entry in entries where entry.hasPrefix(prefix) && ContainedDirectory.isPlainName(entry) {
                try? directory.removeTree(entry)
            }
        }
    }

    /// Whether this generator still has the compose, after waiting for the database to come back.
    @available(*, noasync, message: "blocks")
    func stillGenerating(_ compose: Compose, on c: PGConnection, claim: Claim) -> Bool {
        let deadline = Date().addingTimeInterval(Double(configuration.operations.generatorReconnectSeconds))
        while Date() < deadline {
            if let mine = try? store(c).isGenerating(id: compose.id, by: worker) { return mine && !claim.lost }
            sleep(1)
        }
        return false
    }

    /// The compose's result into the database, and for a generated one, its tree into place once it is done.
    @available(*, noasync, message: "blocks")
    func record(
        _ outcome: GenerationOutcome, of compose: Compose, on c: PGConnection, log: GenerationLog, logger: Logger,
        claim: Claim, started: ContinuousClock.Instant
    ) throws {
        let generations = store(c)
        let name = "odcs-\(compose.id)"
        switch outcome {
        case .generated(let pungiID):
            let root = compose.targetDir ?? service.targetDir
            let writer = ComposeWriter(targetDir: root, name: name)
            try ExpiryStore.recordSize(c, id: compose.id, bytes: DiskUsage.bytesFreedByRemoving(writer.stagedPath))
            var generated = compose
            generated.pungiComposeID = pungiID
            let url = service.isDefaultTargetDir(compose.targetDir) ? "\(service.targetDirBaseURL)/\(name)" : nil
            let tracking = ComposeImportRequest.forGenerated(generated, composeURL: url)
            let contents = writtenContents(directory: writer.stagedPath, logger: logger)
            guard !claim.lost else {
                logger.warning("compose taken over by another generator after a database restart; leaving it")
                return
            }
            let finished: (finished: Bool, skipped: [String])
            let success = "Compose is generated successfully"
            do {
                finished = try generations.finishTracked(
                    id: compose.id, reason: success, tracking: tracking, contents: contents, worker: worker,
                    seconds: Self.seconds(since: started))
            } catch let error as KilnStoreError where error.isConnectionFailure {
                // The commit may have happened before the connection broke: ask once the database answers.
                let mine = stillGenerating(compose, on: c, claim: claim)
                guard mine || (try? generations.state(id: compose.id)) == .done else { throw error }
                finished = try generations.finishTracked(
                    id: compose.id, reason: success, tracking: tracking, contents: contents, worker: worker,
                    seconds: Self.seconds(since: started))
            }
            if !finished.finished {
                let state = try generations.state(id: compose.id)
                if state != .done {
                    // Failed as stuck by `kiln expire` meanwhile (its files go), or another generator's now.
                    if state == nil || state == .failed || state == .removed { unplace(compose) }
                    logger.warning(
                        "compose no longer this generator's when it was generated; its tree is not placed",
                        metadata: ["kiln.compose.state": "\(state?.name ?? "-")"])
                    return
                }
            }
            if !finished.skipped.isEmpty {
                logger.warning(
                    "parents or respin_of not tracked, not linked",
                    metadata: [
                        "kiln.cts.untracked": "\(finished.skipped)"
                    ])
            }
            DrillPause.at("done")
            generated.state = .done
            place(generated, writer: writer, logger: logger)
            log.write("Compose \(pungiID ?? name) is done")
            logger.info("compose generated", metadata: ["kiln.compose.pungi_id": "\(pungiID ?? "-")"])
        case .reused(let old, let finished):
            // A candidate still generating when chosen may have finished before the reuse was recorded: its
            // cascade then found nothing reusing it, so a done one finishes this compose here.
            if try finished || generations.state(id: old) == .done {
                try generations.finish(
                    id: compose.id, state: .done, reason: "Compose is generated successfully",
                    seconds: Self.seconds(since: started))
            }
            log.write("Reusing compose \(old)")
            logger.info("compose reuses another", metadata: ["kiln.compose.reused_id": "\(old)"])
        }
    }

    /// Records a failed compose: one sentence for the user, the whole error in the log with the compose id.
    @available(*, noasync, message: "blocks")
    func fail(
        _ compose: Compose, error: any Error, on c: PGConnection, log: GenerationLog, logger: Logger, claim: Claim,
        started: ContinuousClock.Instant
    ) {
        let generations = store(c)
        let phase = (try? generations.progress(id: compose.id))?.phase
        let message = FailureReason.sentence(for: error, phase: phase)
            .replacingOccurrences(of: service.targetDir, with: service.targetDirURL)
        log.write("ERROR: \(message)")
        logger.warning(
            "compose failed",
            metadata: [
                "kiln.error": "\(message)", "kiln.error.detail": "\(String(reflecting: error))",
                "kiln.phase": "\(phase ?? "-")",
            ])
        guard !claim.lost else {
            removeTemporaries(name: compose.name)
            return
        }
        unplace(compose)
        do {
            try generations.finish(
                id: compose.id, state: .failed, reason: "Error while generating compose: \(message)", worker: worker,
                seconds: Self.seconds(since: started))
        } catch {
            logger.error("cannot record the failure", metadata: ["kiln.error": "\(String(reflecting: error))"])
        }
    }

    /// Seconds from `started` to now, on the monotonic clock.
    static func seconds(since started: ContinuousClock.Instant) -> Double {
        let elapsed = started.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }
}
