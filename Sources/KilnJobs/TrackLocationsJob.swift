internal import Foundation
public import KilnConfiguration
public import KilnCore
public import KilnStore
public import Logging

/// `kiln track-locations`: reconciles where tracked composes are recorded to be (`compose_url`) with the compose
/// toplevels (`<dir>/compose/metadata/composeinfo.json`) under the compose roots: `target_dir` and `compose_roots`.
/// Moved composes get their new URL, composes whose directory is gone get the `removed` tag, untracked composes on
/// disk are imported (builder `kiln-track-locations`); every change is recorded and announced. The decisions are
/// `LocationReconciliation.plan`'s; this reads the disk and the database and applies them, one transaction each.
public struct TrackLocationsJob: Sendable {
    public let configuration: KilnConfiguration
    public let logger: Logger

    public init(configuration: KilnConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public struct Options: Sendable {
        public var dryRun: Bool
        public init(dryRun: Bool = false) { self.dryRun = dryRun }
    }

    /// What one run found and did (or, dry, would do).
    public struct Report: Sendable {
        public var roots: [(path: String, state: LocationReconciliation.RootState)] = []
        public var moved: [(composeID: String, from: String?, to: String)] = []
        public var removed: [(composeID: String, url: String)] = []
        public var restored: [(composeID: String, url: String)] = []
        public var imported: [(composeID: String, directory: String, url: String)] = []
        public var unchanged = 0
        /// URL outside every root, or no URL and not on disk: not judged.
        public var unmanaged = 0
        public var skipped: [(composeID: String, reason: String)] = []
        public var errors: [String] = []
        /// Another run held the lock: nothing was done.
        public var busy = false
        public var composesOnDisk = 0
    }

    @available(*, noasync, message: "blocks")
    public func run(_ options: Options = Options()) throws -> Report {
        let c = try PGConnection.connect(configuration.databaseURL)
        defer { c.close() }
        return try run(options, on: c)
    }

    @available(*, noasync, message: "blocks")
    public func run(_ options: Options, on c: PGConnection) throws -> Report {
        var report = Report()
        let store = TrackingStore(c)
        guard try store.tryLockLocationTracking() else {
            report.busy = true
            return report
        }
        defer { _ = try? store.unlockLocationTracking() }

        let locations = configuration.composeLocations
        var rootStates: [String: LocationReconciliation.RootState] = [:]
        var disk: [String: LocationReconciliation.DiskEntry] = [:]
        let scanner = ComposeTreeScanner()
        for root in locations.roots {
            let state = scanner.state(of: root)
            rootStates[root.path] = state
            report.roots.append((root.path, state))
            guard state == .present else {
                logger.error(
                    "compose root missing; composes recorded under it are not judged",
                    metadata: ["kiln.path": "\(root.path)"])
                continue
            }
            for (directory, entry) in scanner.scan(root) where disk[directory] == nil { disk[directory] = entry }
        }
        // Recorded places the scan did not reach (deeper than `depth`, or gone): looked at one by one.
        let tracked = try store.trackedLocations()
        for t in tracked {
            guard let url = t.url, let (root, directory) = locations.locate(url: url),
                rootStates[root.path] == .present,
                disk[directory] == nil
            else { continue }
            if let entry = scanner.probe(directory) { disk[directory] = entry }
        }
        report.composesOnDisk = disk.count

        let plan = LocationReconciliation.plan(locations: locations, roots: rootStates, disk: disk, tracked: tracked)
        report.errors = plan.errors
        for error in plan.errors { logger.error("not reconciled", metadata: ["kiln.reason": "\(error)"]) }
        for action in plan.actions {
            apply(action, on: c, dryRun: options.dryRun, report: &report)
        }
        return report
    }

    @available(*, noasync, message: "blocks")
    func apply(_ action: LocationReconciliation.Action, on c: PGConnection, dryRun: Bool, report: inout Report) {
        let user = TrackingStore.locationTracker
        func store(_ t: PGConnection) -> TrackingStore { TrackingStore(t) }
        /// Writes one change in its own transaction and logs it (nothing in a dry run); false, with the compose
        /// reported as skipped, when `write` finds it changed since this run read it.
        func changed(
            _ id: String, _ message: Logger.Message, _ metadata: Logger.Metadata,
            _ write: (TrackingStore) throws -> Bool
        ) throws -> Bool {
            guard !dryRun else { return true }
            guard try c.withTransaction({ t in try write(store(t)) }) else {
                report.skipped.append((id, "changed while this run looked at it; the next run judges it again"))
                return false
            }
            logger.info(message, metadata: metadata.merging(["kiln.cts.compose_id": "\(id)"]) { $1 })
            return true
        }
        do {
            switch action {
            case .unchanged:
                report.unchanged += 1
            case .unmanaged:
                report.unmanaged += 1
            case .skipped(let id, let reason):
                report.skipped.append((id, reason))
            case .move(let id, let from, let to, let directory, _):
                let metadata: Logger.Metadata = [
                    "kiln.cts.from": "\(from ?? "-")", "kiln.cts.to": "\(to)", "kiln.path": "\(directory)",
                ]
                guard
                    try changed(
                        id, "compose moved", metadata,
                        {
                            try $0.relocate(composeID: id, expectedURL: from, to: to, user: user) != nil
                        })
                else { return }
                report.moved.append((id, from, to))
            case .remove(let id, let url, let directory):
                guard
                    try changed(
                        id, "compose directory gone, tagged removed", ["kiln.path": "\(directory)"],
                        {
                            try $0.markRemoved(composeID: id, expectedURL: url, directory: directory, user: user)
                        })
                else { return }
                report.removed.append((id, url))
            case .restore(let id, let url, let directory):
                guard
                    try changed(
                        id, "compose directory back, removed tag taken off", ["kiln.path": "\(directory)"],
                        {
                            try $0.unmarkRemoved(composeID: id, expectedURL: url, directory: directory, user: user)
                        })
                else { return }
                report.restored.append((id, url))
            case .importCompose(let id, let directory, let url, let info):
                if !dryRun {
                    let stored = try c.withTransaction { t in
                        try store(t).importCompose(
                            ComposeImportRequest(info: info, composeURL: url), builder: user, exactRespin: true
                        ).compose
                    }
                    guard stored.composeID == id else {
                        report.errors.append("\(directory): imported as \(stored.composeID), not \(id)")
                        return
                    }
                    logger.info(
                        "untracked compose imported",
                        metadata: ["kiln.cts.compose_id": "\(id)", "kiln.path": "\(directory)"])
                }
                report.imported.append((id, directory, url))
            }
        } catch let error as KilnStoreError where error.sqlState == "23505" {
            // Imported (or its release, date and respin taken) by someone else since the run read the database.
            report.errors.append(
                "id collision: \(Self.subject(of: action)) is already tracked under that id or respin; not imported")
        } catch {
            report.errors.append("\(Self.subject(of: action)): \(error)")
            logger.error("change failed", metadata: ["kiln.reason": "\(error)"])
        }
    }

    static func subject(of action: LocationReconciliation.Action) -> String {
        switch action {
        case .unchanged(let id), .unmanaged(let id), .skipped(let id, _), .move(let id, _, _, _, _),
            .remove(let id, _, _),
            .restore(let id, _, _):
            id
        case .importCompose(let id, let directory, _, _): "\(directory) (\(id))"
        }
    }
}
