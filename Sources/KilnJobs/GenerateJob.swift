internal import Foundation
internal import KilnCompose
public import KilnConfiguration
internal import KilnCore
internal import KilnPlatform
internal import KilnStore
public import Logging

/// `kiln generate`: takes waiting composes (any number of these may run, on any hosts), builds each into a hidden
/// staged tree, records it done, and only then places it at `<target_dir>/odcs-<id>` with its links. A generator
/// killed at any point leaves nothing served for a compose that is not done: the recovery places the staged tree of
/// a compose recorded done, and removes the trees and links of one it queues again (once) or fails. A database
/// restart is not a generator death: the generator reconnects, takes its compose back and records its own result.
public struct GenerateJob: Sendable {
    public let configuration: KilnConfiguration
    public let logger: Logger
    let worker: String

    public init(configuration: KilnConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        worker = "\(ProcessInfo.processInfo.hostName):\(getpid())"
    }

    var service: ServiceConfiguration { configuration.service }
    var logDirectory: String { service.targetDir + "/.logs" }

    func store(_ c: PGConnection) -> GenerationStore {
        GenerationStore(c, configuration: service)
    }

    /// Runs `workers` generators. With `once`, returns when nothing is left to do; otherwise waits for NOTIFY
    /// (or polls every `idleSeconds`) forever.
    @available(*, noasync, message: "blocks")
    public func run(workers: Int, once: Bool, idleSeconds: Int = 5) throws {
        let recovery = try PGConnection.connect(configuration.databaseURL)
        try recover(on: recovery)
        recovery.close()
        Parallel.run(threads: max(1, workers), stackSize: 4 << 20) { [self] index in
            self.workerLoop(index: index, once: once, idleSeconds: idleSeconds)
        }
    }

    /// The compose a worker's connection generates, so a reconnect can take its lock back.
    final class Claim {
        var id: Int64?
        /// The lock could not be taken back after a reconnect: someone else has the compose now.
        var lost = false
    }

    private func workerLoop(index: Int, once: Bool, idleSeconds: Int) {
        var log = logger
        log[metadataKey: "kiln.job.worker"] = "\(index)"
        var connection: PGConnection?
        var lastRecovery = Date()
        let claim = Claim()
        while true {
            do {
                if connection == nil || connection?.isOpen == false {
                    let c = try PGConnection.connect(configuration.databaseURL)
                    try c.execute("LISTEN kiln_compose_waiting")
                    c.reconnectSeconds = Double(configuration.operations.generatorReconnectSeconds)
                    c.onReconnect = { [self] c in
                        try c.execute("LISTEN kiln_compose_waiting")
                        guard let id = claim.id else { return }
                        if try !store(c).tryLock(id: id) { claim.lost = true }
                        log.warning(
                            "database connection re-established",
                            metadata: [
                                "kiln.compose.id": "\(id)", "kiln.compose.lock_regained": "\(!claim.lost)",
                            ])
                    }
                    connection = c
                }
                let c = connection!
                if index == 0, Date().timeIntervalSince(lastRecovery) > 30 {
                    try recover(on: c)
                    lastRecovery = Date()
                }
                if let reason = try diskHold(on: c) {
                    if try ExpiryStore.holdWaiting(c, reason: reason) > 0 || once {
                        log.warning("not generating: low disk space", metadata: ["kiln.reason": "\(reason)"])
                    }
                    if once { return }
                    _ = try c.waitForNotification(timeoutMilliseconds: Int32(idleSeconds * 1000))
                    continue
                }
                if let compose = try store(c).claimNext(worker: worker) {
                    claim.id = compose.id
                    claim.lost = false
                    generate(compose, on: c, logger: log, claim: claim)
                    claim.id = nil
                    continue
                }
                if once { return }
                _ = try c.waitForNotification(timeoutMilliseconds: Int32(idleSeconds * 1000))
            } catch {
                log.error("generator error", metadata: ["kiln.error": "\(String(reflecting: error))"])
                connection?.close()
                connection = nil
                if once { return }
                sleep(2)
            }
        }
    }

    /// The disk-space guard: a `state_reason` for waiting composes while the compose volume's free space is below
    /// `disk_low_water`, nil when there is room. Composes wait rather than fail; they go on by themselves once
    /// space is back (`kiln expire --reclaim` makes some).
    @available(*, noasync, message: "blocks")
    func diskHold(on c: PGConnection) throws -> String? {
        guard let space = try configuration.diskSpace(on: c) else { return nil }
        let mark = configuration.operations.diskLowWater
        guard space.isBelow(mark) else { return nil }
        return "Waiting for disk space: free space on the compose volume is below the low-water mark (\(mark))"
    }

    /// Generates one claimed compose; never throws: every failure becomes the compose's `failed` state, except a
    /// broken database connection, after which the generator reconnects and starts the compose over (up to three
    /// times) if it still has it, and otherwise leaves it to whoever does.
    @available(*, noasync, message: "blocks")
    func generate(_ compose: Compose, on c: PGConnection, logger baseLogger: Logger, claim: Claim = Claim()) {
        var logger = baseLogger
        logger[metadataKey: "kiln.compose.id"] = "\(compose.id)"
        let name = "odcs-\(compose.id)"
        let log = GenerationLog(directory: logDirectory, name: name)
        let generations = store(c)
        defer { _ = try? generations.release(id: compose.id) }
        logger.info("generating compose")
        // The generation-time histogram counts from here to the recorded outcome, restarts included.
        let started = ContinuousClock.now
        log.write("Generating compose \(compose.id) (\(compose.sourceType.name) \(compose.source)) on \(worker)")
        var restarts = 0
        while true {
            do {
                // Rows may predate the API's checks: the names that become paths are checked again here.
                try ComposeLinks.check(composeType: compose.composeType, label: compose.label)
                let outcome = try build(compose, on: c, log: log, logger: logger)
                try record(outcome, of: compose, on: c, log: log, logger: logger, claim: claim, started: started)
                return
            } catch let error as KilnStoreError where error.isConnectionFailure && restarts < 3 {
                restarts += 1
                logger.warning(
                    "database connection lost while generating",
                    metadata: [
                        "kiln.error.detail": "\(String(reflecting: error))"
                    ])
                removeTemporaries(name: name)
                guard stillGenerating(compose, on: c, claim: claim) else {
                    logger.warning("compose taken over by another generator after a database restart; leaving it")
                    return
                }
                log.write("The database connection was lost; generating the compose again")
            } catch {
                fail(compose, error: error, on: c, log: log, logger: logger, claim: claim, started: started)
                return
            }
        }
    }

    /// The pipeline that gathers and writes a compose, with this generator's settings and HTTP clients.
    var pipeline: ComposePipeline {
        ComposePipeline(
            service: service,
            sources: .init(
                kojiHubURL: configuration.kojiHubURL, kojiTopURL: configuration.kojiTopURL,
                pulpServerURL: configuration.pulpServerURL, pulpSSLCert: configuration.pulpSSLCert,
                pulpSSLKey: configuration.pulpSSLKey),
            makeClient: { [configuration] certificate, key, policy in
                try configuration.remoteClient(certificate: certificate, key: key, policy: policy)
            })
    }

    @available(*, noasync, message: "blocks")
    func build(_ compose: Compose, on c: PGConnection, log: GenerationLog, logger: Logger) throws -> GenerationOutcome {
        try pipeline.build(
            compose, host: StoreGenerationHost(job: self, connection: c, composeID: compose.id), log: log)
    }
}
