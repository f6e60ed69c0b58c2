internal import Foundation
internal import KilnCompose
public import KilnConfiguration
public import KilnCore
internal import KilnPlatform
public import KilnStore
public import Logging

/// `kiln expire`: done and failed composes past their expiry become `removed` (with the composes reusing them) and
/// their files go; stuck composes are failed; directories no live compose owns are purged; and when the compose
/// volume runs short, the oldest done composes are removed early (`--reclaim`, or on its own under the critical
/// mark). Every state change commits before any file is deleted, and a compose's directory is first renamed out of
/// the served tree, so a crash at any point leaves at worst a hidden directory the next run purges.
public struct ExpireJob: Sendable {
    public let configuration: KilnConfiguration
    public let logger: Logger

    public init(configuration: KilnConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public struct Options: Sendable {
        public var reclaim = false
        public var dryRun = false
        public var batchSize = 500
        public init(reclaim: Bool = false, dryRun: Bool = false) {
            self.reclaim = reclaim
            self.dryRun = dryRun
        }
    }

    /// What one run did (or, with `--dry-run`, would do).
    public struct Report: Sendable {
        public var expired: [Int64] = []
        /// Composes removed with a compose they reuse.
        public var followed: [Int64] = []
        public var keptForLink: [Int64] = []
        public var keptForReuse: [Int64] = []
        public var skippedNoTargetDir: [Int64] = []
        public var failedStuck: [(id: Int64, reason: String)] = []
        public var purged: [String] = []
        public var reclaimed: [(id: Int64, bytes: Int64)] = []
        public var diskBefore: DiskSpace?
        public var diskAfter: DiskSpace?
        public var reclaimMark: Int64?
        public var errors: [String] = []
        public var databaseSeconds = 0.0
        public var filesSeconds = 0.0
        /// Nothing was done: another `kiln expire` holds the run lock.
        public var anotherRunning = false

        mutating func apply(_ removal: ExpiryPlan.Removal) {
            expired += removal.expired
            followed += removal.followed
            keptForReuse += removal.keptForReuse
        }
    }

    static let runLockClass = 7076

    var service: ServiceConfiguration { configuration.service }
    var operations: OperationsConfiguration { configuration.operations }

    func store(_ c: PGConnection) -> ExpiryStore {
        ExpiryStore(c, configuration: service)
    }

    @available(*, noasync, message: "blocks")
    public func run(_ options: Options) throws -> Report {
        let c = try PGConnection.connect(configuration.databaseURL)
        defer { c.close() }
        var report = Report()
        // One run at a time (a timer's and a manual --reclaim, or two hosts): both would reclaim. The session lock
        // goes with the connection, even after a kill -9.
        guard try c.tryAdvisoryLock(.pair(Int64(Self.runLockClass), 1)) else {
            report.anotherRunning = true
            return report
        }
        try expire(on: c, options: options, report: &report)
        try failStuck(on: c, options: options, report: &report)
        try purgeLeftovers(on: c, options: options, report: &report)
        try reclaimIfNeeded(on: c, options: options, report: &report)
        if !options.dryRun { recordVolume(on: c, report: &report) }
        return report
    }

    /// One reading of the compose volume per run, for the volume report: the free space this run saw last (after
    /// reclaiming, when it did) and the bytes composes hold now. A failure is reported, and the run goes on.
    @available(*, noasync, message: "blocks")
    func recordVolume(on c: PGConnection, report: inout Report) {
        guard let disk = report.diskAfter else { return }
        do {
            try ReportStore(c).recordVolume(disk, composeBytes: try ExpiryStore.bytesOnDisk(c))
        } catch {
            report.errors.append("cannot record the volume reading: \(error)")
            logger.error("cannot record the volume reading", metadata: ["kiln.error": "\(error)"])
        }
    }

    // MARK: expiry

    @available(*, noasync, message: "blocks")
    func expire(on c: PGConnection, options: Options, report: inout Report) throws {
        var after: Int64 = 0
        while true {
            var clock = Clock()
            let batch = try store(c).expired(after: after, limit: options.batchSize)
            guard let last = batch.last else {
                report.databaseSeconds += clock.lap()
                break
            }
            after = last.id
            let selection = ExpiryPlan.select(
                batch.map { compose in
                    let exists = directoryExists(compose.targetDir ?? service.targetDir)
                    return ExpiryPlan.Expired(
                        id: compose.id, rootExists: exists, isLatestOfASeries: exists && isLatestOfASeries(compose))
                })
            report.skippedNoTargetDir += selection.skippedNoTargetDir
            report.keptForLink += selection.keptForLink
            for id in selection.keptForLink {
                logger.info(
                    "expired compose kept: a latest-* symlink points to it", metadata: ["kiln.compose.id": "\(id)"])
            }
            let chosen = selection.chosen
            report.filesSeconds += clock.lap()
            if options.dryRun {
                let reused = try store(c).reusedByLiveComposes(chosen)
                report.apply(ExpiryPlan.removal(chosen: chosen, reusedByLive: reused))
                report.databaseSeconds += clock.lap()
                continue
            }
            let removed = try store(c).remove(chosen)
            report.apply(ExpiryPlan.removal(chosen: chosen, removed: removed.map(\.id)))
            report.databaseSeconds += clock.lap()
            for compose in removed {
                logger.info(
                    "compose removed",
                    metadata: ["kiln.compose.id": "\(compose.id)", "kiln.reason": "\(compose.stateReason ?? "")"])
            }
            report.errors += deleteFiles(of: removed)
            report.filesSeconds += clock.lap()
        }
    }

    /// Whether the link `ExpiryPlan.seriesLink` names resolves to this compose's directory.
    func isLatestOfASeries(_ compose: Compose) -> Bool {
        guard
            let link = ExpiryPlan.seriesLink(
                name: compose.name, pungiComposeID: compose.pungiComposeID, reusedID: compose.reusedID,
                composeType: compose.composeType),
            ContainedDirectory.isPlainName(link.name)
        else { return false }
        let root = compose.targetDir ?? service.targetDir
        guard let latest = Platform.realPath("\(root)/\(link.directory)/\(link.name)"),
            let own = Platform.realPath("\(root)/\(compose.name)")
        else { return false }
        return latest == own
    }

    /// Renames `<root>/odcs-<id>` out of the served tree (into a hidden work directory httpd refuses), removes the
    /// compose's `<type>/` links and its log, then deletes the renamed tree. Composes reusing another have no files.
    /// Every path is walked from the root without following symlinks, and link names come from checked parts: an
    /// old row's compose type or label that is not productmd's removes no link; a symlink where a directory should
    /// be stops the walk; a symlinked toplevel is unlinked, never followed.
    func deleteFiles(of compose: Compose, report: inout Report) {
        unlink(service.targetDir + "/.logs/odcs-\(compose.id).log")
        guard compose.reusedID == nil else { return }
        let root = compose.targetDir ?? service.targetDir
        let name = compose.name
        let directory: ContainedDirectory
        do {
            directory = try ContainedDirectory(path: root)
        } catch {
            report.errors.append("Cannot open \(root): \(error)")
            return
        }
        if let pungiID = compose.pungiComposeID {
            do {
                let links = try ComposeLinks(
                    composeID: compose.id, composeType: compose.composeType,
                    pungiComposeID: pungiID, label: compose.label)
                for link in links.names {
                    directory.removeSymlink(links.directory + "/" + link) { ($0 as NSString).lastPathComponent == name }
                }
            } catch {
                logger.warning(
                    "compose links not removed",
                    metadata: [
                        "kiln.compose.id": "\(compose.id)", "kiln.error": "\(error.message)",
                    ])
            }
        }
        switch directory.kind(of: name) {
        case .symlink?, .file?:
            // ODCS removes what a symlinked toplevel points to; Kiln only ever removes the link itself.
            removeTree(directory, name, report: &report)
        case .directory?:
            // Hidden (httpd refuses `.tmp-*`) and named so the leftover scan finishes it after a crash.
            let trash = ComposeWriter.temporaryPrefix(name: name) + "removed-\(getpid())"
            if (try? directory.rename(name, to: trash)) != nil {
                removeTree(directory, trash, report: &report)
            } else {
                removeTree(directory, name, report: &report)
            }
        case nil:
            break
        }
        removeTree(directory, ComposeWriter.stagedName(name: name), report: &report)
    }

    func removeTree(_ directory: ContainedDirectory, _ relative: String, report: inout Report) {
        do {
            try directory.removeTree(relative)
        } catch {
            let message = "Cannot remove some files in \(directory.path)/\(relative): \(error)"
            report.errors.append(message)
            logger.error("\(message)")
        }
    }

    /// Deletes the files of many composes on `deletionThreads` threads: deleting is mostly waiting for the disk
    /// (and NFS), so more threads than cores pay. Returns the errors.
    func deleteFiles(of composes: [Compose]) -> [String] {
        let perCompose = Parallel.map(composes.count, threads: Self.deletionThreads) { [self] index in
            var local = Report()
            deleteFiles(of: composes[index], report: &local)
            return local.errors
        }
        return perCompose.flatMap { $0 }
    }

    static let deletionThreads = 8

    // MARK: stuck composes

    @available(*, noasync, message: "blocks")
    func failStuck(on c: PGConnection, options: Options, report: inout Report) throws {
        var clock = Clock()
        defer { report.databaseSeconds += clock.lap() }
        let generatingLimit = ExpiryPlan.generatingLimit(pungiTimeout: operations.pungiTimeout)
        let stuck = try store(c).stuck(
            generatingLimitSeconds: generatingLimit, waitLimitSeconds: operations.maxWaitSeconds)
        let reasons = ExpiryPlan.stuckReasons(
            generatingLimitSeconds: generatingLimit, waitLimitSeconds: operations.maxWaitSeconds)
        for (ids, from, reason) in [
            (stuck.generating, ComposeState.generating, reasons.generating), (stuck.waiting, .wait, reasons.waiting),
        ] {
            for id in ids {
                if options.dryRun {
                    report.failedStuck.append((id, reason))
                    continue
                }
                for compose in try store(c).failStuck(id: id, from: from, reason: reason) {
                    report.failedStuck.append((compose.id, reason))
                    logger.warning(
                        "stuck compose failed",
                        metadata: ["kiln.compose.id": "\(compose.id)", "kiln.reason": "\(reason)"])
                }
            }
        }
    }

    // MARK: leftovers

    /// ODCS's scan of `latest-odcs-*` then `odcs-*` directories in every target directory, removing those whose
    /// compose is gone or removed; plus what Kiln itself leaves when interrupted: hidden work directories of
    /// composes no longer generating, logs of removed composes, and `<type>/` links to removed composes.
    @available(*, noasync, message: "blocks")
    func purgeLeftovers(on c: PGConnection, options: Options, report: inout Report) throws {
        var clock = Clock()
        let roots = [service.targetDir] + service.extraTargetDirs.values.sorted().filter { $0 != service.targetDir }
        let fm = FileManager.default
        typealias Found = ExpiryPlan.Leftover
        var found: [Found] = []
        for root in roots where directoryExists(root) {
            let entries = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
            for prefix in ["latest-odcs-", "odcs-"] {
                for entry in entries where entry.hasPrefix(prefix) && directoryExists(root + "/" + entry) {
                    guard let id = LeftoverName.composeID(of: entry) else {
                        logger.error(
                            "cannot tell the compose of leftover directory", metadata: ["kiln.path": "\(root)/\(entry)"]
                        )
                        continue
                    }
                    found.append(Found(path: root + "/" + entry, composeID: id, kind: .top, root: root))
                }
            }
            for entry in entries where entry.hasPrefix(".tmp-odcs-") {
                if let id = LeftoverName.composeID(ofWorkDirectory: entry) {
                    found.append(Found(path: root + "/" + entry, composeID: id, kind: .work, root: root))
                }
            }
            // Links in <type>/ directories that point at an odcs-<id> directory.
            for entry in entries
            where !entry.hasPrefix(".") && !entry.hasPrefix("odcs-") && !entry.hasPrefix("latest-odcs-") {
                let typeDir = root + "/" + entry
                // A real directory only: a symlink here would lead the scan (and its unlinks) out of the root.
                guard (try? ContainedDirectory(path: root))?.kind(of: entry) == .directory else { continue }
                for link in (try? fm.contentsOfDirectory(atPath: typeDir)) ?? [] {
                    guard let target = try? fm.destinationOfSymbolicLink(atPath: typeDir + "/" + link),
                        let id = LeftoverName.composeID(ofLinkTarget: target)
                    else { continue }
                    found.append(Found(path: typeDir + "/" + link, composeID: id, kind: .link, root: root))
                }
            }
        }
        let logs = service.targetDir + "/.logs"
        for entry in (try? fm.contentsOfDirectory(atPath: logs)) ?? [] where entry.hasSuffix(".log") {
            if let id = LeftoverName.composeID(of: String(entry.dropLast(4))) {
                found.append(Found(path: logs + "/" + entry, composeID: id, kind: .log))
            }
        }
        report.filesSeconds += clock.lap()
        guard !found.isEmpty else { return }
        let ids = Array(Set(found.map(\.composeID))).sorted()
        let states = try store(c).states(of: ids)
        let reused = try store(c).reusedByLiveComposes(ids)
        let maxID = try store(c).maxID()
        report.databaseSeconds += clock.lap()
        let decisions = ExpiryPlan.leftovers(found, states: states, reusedByLive: reused, maxID: maxID)
        for item in decisions.neverRecorded {
            logger.warning(
                "not purged: no compose with this id was ever recorded (is database_url right?)",
                metadata: ["kiln.path": "\(item.path)"])
        }
        for item in decisions.purge {
            report.purged.append(item.path)
            if options.dryRun { continue }
            logger.info(
                "leftover removed", metadata: ["kiln.path": "\(item.path)", "kiln.compose.id": "\(item.composeID)"])
            if item.kind == .log {
                unlink(item.path)
            } else if let directory = try? ContainedDirectory(path: item.root) {
                let relative = String(item.path.dropFirst(item.root.count + 1))
                if item.kind == .link {
                    directory.removeSymlink(relative) { LeftoverName.composeID(ofLinkTarget: $0) == item.composeID }
                } else {
                    removeTree(directory, relative, report: &report)
                }
            }
        }
        report.filesSeconds += clock.lap()
    }

    // MARK: reclaim

    @available(*, noasync, message: "blocks")
    func reclaimIfNeeded(on c: PGConnection, options: Options, report: inout Report) throws {
        guard let before = try configuration.diskSpace(on: c) else {
            report.errors.append("cannot read the free space of \(service.targetDir)")
            return
        }
        report.diskBefore = before
        report.diskAfter = before
        let mark = operations.diskLowWater
        let target: Int64
        switch ExpiryPlan.reclaimGoal(
            before, requested: options.reclaim, critical: operations.diskCritical, lowWater: mark)
        {
        case .notNeeded:
            return
        case .reached(let goal):
            report.reclaimMark = goal
            return
        case .reclaim(let goal, let critical):
            report.reclaimMark = goal
            target = goal
            if critical {
                logger.warning(
                    "free space below the critical mark: reclaiming",
                    metadata: [
                        "kiln.disk.free": "\(before.freeBytes)", "kiln.disk.critical": "\(operations.diskCritical)",
                    ])
            }
        }
        let reason = ExpiryPlan.reclaimReason(freeBytes: before.freeBytes, lowWater: mark)
        var free = before.freeBytes
        var clock = Clock()
        let candidates = try store(c).reclaimCandidates(limit: 10_000)
        report.databaseSeconds += clock.lap()
        for compose in candidates where service.isDefaultTargetDir(compose.targetDir) {
            if free >= target { break }
            if isLatestOfASeries(compose) { continue }
            let bytes = compose.sizeBytes ?? DiskUsage.bytesFreedByRemoving(service.targetDir + "/" + compose.name)
            if options.dryRun {
                report.reclaimed.append((compose.id, bytes))
                free += bytes
                continue
            }
            let removed = try store(c).remove([compose.id], reason: reason, requireExpired: false)
            report.databaseSeconds += clock.lap()
            guard removed.contains(where: { $0.id == compose.id }) else { continue }
            report.reclaimed.append((compose.id, bytes))
            logger.warning(
                "compose removed to free disk space",
                metadata: [
                    "kiln.compose.id": "\(compose.id)", "kiln.bytes": "\(bytes)", "kiln.reason": "\(reason)",
                ])
            for r in removed {
                if r.id != compose.id { report.followed.append(r.id) }
                deleteFiles(of: r, report: &report)
            }
            report.filesSeconds += clock.lap()
            free = try configuration.diskSpace(on: c)?.freeBytes ?? (free + bytes)
        }
        report.diskAfter = DiskSpace(freeBytes: free, totalBytes: before.totalBytes)
        if free < target {
            let message =
                "free space is still below the low-water mark after reclaiming: "
                + "\(DiskSpace.format(free)) free, mark \(mark)"
            report.errors.append(message)
            logger.error("\(message)")
        }
    }

    // MARK: helpers

    func directoryExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    struct Clock {
        var last = Date()
        mutating func lap() -> Double {
            let now = Date()
            defer { last = now }
            return now.timeIntervalSince(last)
        }
    }
}
