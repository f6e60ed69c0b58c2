/// What `kiln expire` decides. Pure: the job reads the database and the compose volume, these rules decide, the job
/// applies what they return.
///
/// Rules:
/// * An expired compose whose target directory is missing is skipped (its files cannot be removed, so neither is
///   its row); one a `<type>/latest-<series>` link points to is kept; the others are removed, except those a live
///   compose reuses, and the composes reusing a removed one go with it.
/// * A compose generating for longer than twice the Pungi timeout, or waiting longer than the wait limit, fails.
/// * A leftover (a compose directory, work directory, log or `<type>/` link) goes when its compose is gone or
///   removed and no live compose reuses it; a work directory also goes when its compose is done or failed, except the
///   staged tree of a done compose. A leftover naming an id above every recorded one stays: the database is not the
///   one the volume belongs to.
/// * Under the critical mark, or when asked, the oldest done composes go until the low-water mark is reached.
public enum ExpiryPlan {
    // MARK: expiry

    /// An expired compose, with what the disk says about it.
    public struct Expired: Sendable, Equatable {
        public var id: Int64
        /// Its target directory exists.
        public var rootExists: Bool
        /// A `<type>/latest-<series>` link resolves to its directory.
        public var isLatestOfASeries: Bool
        public init(id: Int64, rootExists: Bool, isLatestOfASeries: Bool) {
            self.id = id
            self.rootExists = rootExists
            self.isLatestOfASeries = isLatestOfASeries
        }
    }

    /// Which expired composes to remove, and which stay and why.
    public struct Selection: Sendable, Equatable {
        public var chosen: [Int64] = []
        public var keptForLink: [Int64] = []
        public var skippedNoTargetDir: [Int64] = []
        public init(chosen: [Int64] = [], keptForLink: [Int64] = [], skippedNoTargetDir: [Int64] = []) {
            self.chosen = chosen
            self.keptForLink = keptForLink
            self.skippedNoTargetDir = skippedNoTargetDir
        }
    }

    public static func select(_ batch: [Expired]) -> Selection {
        var selection = Selection()
        for compose in batch {
            if !compose.rootExists {
                selection.skippedNoTargetDir.append(compose.id)
            } else if compose.isLatestOfASeries {
                selection.keptForLink.append(compose.id)
            } else {
                selection.chosen.append(compose.id)
            }
        }
        return selection
    }

    /// How the chosen composes fared.
    public struct Removal: Sendable, Equatable {
        public var expired: [Int64] = []
        /// Removed with a compose they reuse.
        public var followed: [Int64] = []
        /// Not removed: a live compose reuses them.
        public var keptForReuse: [Int64] = []
        public init(expired: [Int64] = [], followed: [Int64] = [], keptForReuse: [Int64] = []) {
            self.expired = expired
            self.followed = followed
            self.keptForReuse = keptForReuse
        }
    }

    /// After the store removed `removed` (in its order) when asked for `chosen`.
    public static func removal(chosen: [Int64], removed: [Int64]) -> Removal {
        let chosenSet = Set(chosen)
        let removedSet = Set(removed)
        return Removal(
            expired: removed.filter { chosenSet.contains($0) },
            followed: removed.filter { !chosenSet.contains($0) },
            keptForReuse: chosen.filter { !removedSet.contains($0) })
    }

    /// What a dry run reports for `chosen`, knowing which of them live composes reuse.
    public static func removal(chosen: [Int64], reusedByLive: Set<Int64>) -> Removal {
        Removal(
            expired: chosen.filter { !reusedByLive.contains($0) },
            keptForReuse: chosen.filter { reusedByLive.contains($0) })
    }

    /// The link that keeps a compose while it resolves to the compose's directory: ODCS's `get_latest_symlink`,
    /// narrowed to links that name a series. `<type>/latest-<A>-<B>` where `<A>-<B>` starts the productmd id and is
    /// not the compose's own `odcs-<id>` (Kiln's composes each carry their own `latest-odcs-<id>` link, which
    /// protects nothing). Nil when no link can protect the compose: it reuses another, has no productmd id, or its
    /// type is not productmd's. The job still checks that the name is a plain path component before resolving it.
    public static func seriesLink(
        name: String, pungiComposeID: String?, reusedID: Int64?, composeType: String?
    ) -> (directory: String, name: String)? {
        guard let pungiComposeID, reusedID == nil else { return nil }
        let series = ComposeLinks.series(of: pungiComposeID)
        guard series != name else { return nil }
        let type = composeType ?? "test"
        guard ComposeID.ComposeType(rawValue: type) != nil else { return nil }
        return (type, "latest-\(series)")
    }

    // MARK: stuck composes

    /// The reasons recorded on stuck composes, as ODCS words them.
    public struct StuckReasons: Sendable, Equatable {
        public var generating: String
        public var waiting: String
    }

    public static func stuckReasons(generatingLimitSeconds: Int64, waitLimitSeconds: Int64) -> StuckReasons {
        StuckReasons(
            generating: "Compose stuck in 'generating' state for longer than \(generatingLimitSeconds) seconds.",
            waiting: "Compose stuck in 'wait' state for longer than \(duration(waitLimitSeconds)).")
    }

    /// A generating compose is stuck after twice the Pungi timeout.
    public static func generatingLimit(pungiTimeout: Int64) -> Int64 { 2 * pungiTimeout }

    /// `3 days` for whole days (ODCS's wording), else seconds.
    public static func duration(_ seconds: Int64) -> String {
        if seconds % 86400 == 0 { return seconds == 86400 ? "1 day" : "\(seconds / 86400) days" }
        return "\(seconds) seconds"
    }

    // MARK: leftovers

    public enum LeftoverKind: Sendable, Equatable {
        /// `odcs-<id>` or `latest-odcs-<id>-...` at a target directory's top.
        case top
        /// A hidden `.tmp-odcs-<id>-...` work directory (`-ready` at the end: a staged tree).
        case work
        /// `.logs/odcs-<id>.log`.
        case log
        /// A `<type>/` link to `../odcs-<id>`.
        case link
    }

    /// Something on the compose volume that belongs to a compose, by its name.
    public struct Leftover: Sendable, Equatable {
        public var path: String
        public var composeID: Int64
        public var kind: LeftoverKind
        /// The target directory it is under (empty for logs).
        public var root: String
        public init(path: String, composeID: Int64, kind: LeftoverKind, root: String = "") {
            self.path = path
            self.composeID = composeID
            self.kind = kind
            self.root = root
        }
    }

    public struct LeftoverDecisions: Sendable, Equatable {
        public var purge: [Leftover] = []
        /// Naming an id no compose ever had: not touched.
        public var neverRecorded: [Leftover] = []
        public init(purge: [Leftover] = [], neverRecorded: [Leftover] = []) {
            self.purge = purge
            self.neverRecorded = neverRecorded
        }
    }

    /// `states` has the state of every recorded compose among the leftovers' ids; `maxID` is the highest id ever
    /// recorded.
    public static func leftovers(
        _ found: [Leftover], states: [Int64: ComposeState], reusedByLive: Set<Int64>, maxID: Int64
    ) -> LeftoverDecisions {
        var decisions = LeftoverDecisions()
        for item in found {
            let state = states[item.composeID]
            if state == nil, item.composeID > maxID {
                decisions.neverRecorded.append(item)
                continue
            }
            let gone = state == nil || state == .removed
            let purge: Bool
            switch item.kind {
            // Only links left dangling by a removed compose; a live compose's links stay.
            case .top, .log, .link: purge = gone && !reusedByLive.contains(item.composeID)
            // A work directory belongs to a generator while its compose waits or generates; the staged tree of a done
            // compose is the generator's to place (its recovery does it after a crash).
            case .work:
                let staged = item.path.hasSuffix("-ready") && state == .done
                purge = !staged && (gone || state == .done || state == .failed)
            }
            if purge { decisions.purge.append(item) }
        }
        return decisions
    }

    // MARK: reclaim

    public enum ReclaimGoal: Sendable, Equatable {
        /// Not asked, and free space is above the critical mark.
        case notNeeded
        /// Free space is already at or above the low-water mark (`target` bytes).
        case reached(target: Int64)
        /// Remove composes until `target` bytes are free; `critical` when free space is under the critical mark.
        case reclaim(target: Int64, critical: Bool)
    }

    public static func reclaimGoal(
        _ before: DiskSpace, requested: Bool, critical: DiskSpace.Mark, lowWater: DiskSpace.Mark
    ) -> ReclaimGoal {
        let isCritical = before.isBelow(critical)
        guard requested || isCritical else { return .notNeeded }
        let target = lowWater.bytes(of: before.totalBytes)
        guard before.freeBytes < target else { return .reached(target: target) }
        return .reclaim(target: target, critical: isCritical)
    }

    /// The reason recorded on a compose removed to free space.
    public static func reclaimReason(freeBytes: Int64, lowWater: DiskSpace.Mark) -> String {
        "Compose is expired early: the compose volume had \(DiskSpace.format(freeBytes)) free, below the low-water "
            + "mark of \(lowWater)."
    }
}
