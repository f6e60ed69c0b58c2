/// What `kiln track-locations` does with what it found: the recorded locations of tracked composes against the
/// compose toplevels on disk (directories holding `compose/metadata/composeinfo.json`). Pure: the job reads the
/// disk and the database, this decides, the job applies.
///
/// Rules:
/// * A tracked compose whose `compose_url` maps to no configured root is not judged (`unmanaged`).
/// * One whose root is missing (or not mounted) is not judged either (`skipped`); the root is an error.
/// * Found at its recorded directory: `unchanged` (or `restored` when it carried `removed`).
/// * Not there but found, under the same productmd id, at exactly one other place: `moved` there.
/// * Found nowhere, with its root present: `removed`.
/// * A compose on disk nobody tracks is imported, unless its id (or its release, date and respin) is taken.
public struct LocationReconciliation: Sendable, Equatable {
    /// CTS's uniqueness key besides the id: release short, release version, date and respin.
    public struct ReleaseKey: Sendable, Hashable {
        public var short: String
        public var version: String
        public var date: String
        public var respin: Int
        public init(short: String, version: String, date: String, respin: Int) {
            self.short = short
            self.version = version
            self.date = date
            self.respin = respin
        }
        public init(_ info: ComposeInfo) {
            self.init(short: info.release.short, version: info.release.version, date: info.date, respin: info.respin)
        }
    }

    /// A tracked compose as far as its location goes.
    public struct Tracked: Sendable, Equatable {
        public var composeID: String
        public var url: String?
        public var releaseKey: ReleaseKey
        public var isRemoved: Bool
        public init(composeID: String, url: String?, releaseKey: ReleaseKey, isRemoved: Bool) {
            self.composeID = composeID
            self.url = url
            self.releaseKey = releaseKey
            self.isRemoved = isRemoved
        }
    }

    /// A compose toplevel on disk.
    public enum DiskEntry: Sendable, Equatable {
        case compose(ComposeInfo)
        /// `composeinfo.json` is there but cannot be read or parsed.
        case unreadable(String)
    }

    public enum RootState: Sendable, Equatable {
        case present
        /// Missing, unreadable or not mounted: why.
        case missing(String)
    }

    public enum Action: Sendable, Equatable {
        case unchanged(composeID: String)
        /// Found at its recorded place while tagged `removed`: the tag comes off.
        case restore(composeID: String, url: String, directory: String)
        /// Found elsewhere (or found while no place was recorded): `compose_url` becomes `to`; a `removed` tag
        /// comes off.
        case move(composeID: String, from: String?, to: String, directory: String, wasRemoved: Bool)
        /// Its directory is gone from a present root: tagged `removed`.
        case remove(composeID: String, url: String, directory: String)
        /// On disk, not tracked: imported with `compose_url` = `url`.
        case importCompose(composeID: String, directory: String, url: String, info: ComposeInfo)
        /// Its URL is outside every root (or it has none and was not found): not judged.
        case unmanaged(composeID: String)
        /// Its root is missing or its directory unreadable: not judged this time.
        case skipped(composeID: String, reason: String)
    }

    public var actions: [Action] = []
    /// What could not be reconciled; the job exits non-zero when there is any.
    public var errors: [String] = []

    public init() {}

    /// The productmd id a toplevel is tracked under: `create_compose_id()` of its composeinfo.json.
    public static func composeID(of info: ComposeInfo) -> String { info.composeID().description }

    public static func plan(
        locations: ComposeLocations, roots: [String: RootState], disk: [String: DiskEntry], tracked: [Tracked]
    ) -> LocationReconciliation {
        var plan = LocationReconciliation()
        for root in locations.roots {
            if case .missing(let why)? = roots[root.path] { plan.errors.append("compose root \(root.path): \(why)") }
        }
        func isPresent(_ root: ComposeRoot) -> Bool { roots[root.path] == .present }

        var found: [String: [String]] = [:]
        for (directory, entry) in disk.sorted(by: { $0.key < $1.key }) {
            switch entry {
            case .compose(let info): found[composeID(of: info), default: []].append(directory)
            case .unreadable(let why): plan.errors.append("\(directory): \(why)")
            }
        }
        let trackedIDs = Set(tracked.map(\.composeID))

        for t in tracked.sorted(by: { $0.composeID < $1.composeID }) {
            let copies = found[t.composeID] ?? []
            guard let url = t.url else {
                if copies.count == 1, let to = locations.url(forDirectory: copies[0]) {
                    plan.actions.append(
                        .move(composeID: t.composeID, from: nil, to: to, directory: copies[0], wasRemoved: t.isRemoved))
                } else if copies.count > 1 {
                    plan.errors.append(
                        "id collision: \(t.composeID) has no recorded location and is at "
                            + "\(copies.joined(separator: ", "))"
                    )
                } else {
                    plan.actions.append(.unmanaged(composeID: t.composeID))
                }
                continue
            }
            guard let (root, recorded) = locations.locate(url: url) else {
                plan.actions.append(.unmanaged(composeID: t.composeID))
                continue
            }
            guard isPresent(root) else {
                plan.actions.append(.skipped(composeID: t.composeID, reason: "compose root \(root.path) is missing"))
                continue
            }
            switch disk[recorded] {
            case .unreadable?:
                plan.actions.append(.skipped(composeID: t.composeID, reason: "\(recorded) cannot be read"))
            case .compose(let info)? where composeID(of: info) == t.composeID:
                let elsewhere = copies.filter { $0 != recorded }
                if !elsewhere.isEmpty {
                    plan.errors.append(
                        "id collision: \(t.composeID) is at \(recorded) and also at "
                            + "\(elsewhere.joined(separator: ", "))"
                    )
                }
                let canonical = locations.url(forDirectory: recorded) ?? url
                if canonical != url {
                    plan.actions.append(
                        .move(
                            composeID: t.composeID, from: url, to: canonical, directory: recorded,
                            wasRemoved: t.isRemoved))
                } else if t.isRemoved {
                    plan.actions.append(.restore(composeID: t.composeID, url: url, directory: recorded))
                } else {
                    plan.actions.append(.unchanged(composeID: t.composeID))
                }
            default:
                // Gone from its recorded place (or another compose is there now).
                if copies.count == 1, let to = locations.url(forDirectory: copies[0]) {
                    plan.actions.append(
                        .move(composeID: t.composeID, from: url, to: to, directory: copies[0], wasRemoved: t.isRemoved))
                } else if copies.count > 1 {
                    plan.errors.append(
                        "id collision: \(t.composeID) left \(recorded) and is at \(copies.joined(separator: ", "))")
                    plan.actions.append(.skipped(composeID: t.composeID, reason: "found at several places"))
                } else if t.isRemoved {
                    plan.actions.append(.unchanged(composeID: t.composeID))
                } else {
                    plan.actions.append(.remove(composeID: t.composeID, url: url, directory: recorded))
                }
            }
        }

        // Untracked composes on disk.
        var takenKeys: [ReleaseKey: String] = [:]
        for t in tracked { takenKeys[t.releaseKey] = t.composeID }
        for id in found.keys.sorted() where !trackedIDs.contains(id) {
            let directories = found[id]!
            guard directories.count == 1 else {
                plan.errors.append(
                    "id collision: untracked \(id) is at \(directories.joined(separator: ", ")); not imported")
                continue
            }
            guard case .compose(let info)? = disk[directories[0]], let url = locations.url(forDirectory: directories[0])
            else { continue }
            let key = ReleaseKey(info)
            if let other = takenKeys[key] {
                plan.errors.append(
                    "id collision: \(directories[0]) (\(id)) has the release, date and respin of \(other); not imported"
                )
                continue
            }
            takenKeys[key] = id
            plan.actions.append(.importCompose(composeID: id, directory: directories[0], url: url, info: info))
        }
        return plan
    }
}
