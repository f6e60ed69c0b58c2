/// A Koji event (`getLastEvent`, `getEvent`): every change to tags is stamped with one; queries can be pinned to it.
public struct KojiEvent: Sendable, Equatable {
    public var id: Int64
    /// Seconds since the epoch.
    public var ts: Double

    public init(id: Int64, ts: Double) {
        self.id = id
        self.ts = ts
    }
}

/// A tag (`getTag`).
public struct KojiTag: Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// The tag's arches (Koji sends them space separated, or nil: then empty).
    public var arches: [String]
    public var locked: Bool
    public var permID: Int64?
    public var perm: String?
    public var mavenSupport: Bool
    public var mavenIncludeAll: Bool
    public var extra: [String: XMLRPCValue]
    /// Present when the tag was read at an event.
    public var queryEvent: Int64?

    public init(
        id: Int64, name: String, arches: [String] = [], locked: Bool = false, permID: Int64? = nil, perm: String? = nil,
        mavenSupport: Bool = false, mavenIncludeAll: Bool = false, extra: [String: XMLRPCValue] = [:],
        queryEvent: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.arches = arches
        self.locked = locked
        self.permID = permID
        self.perm = perm
        self.mavenSupport = mavenSupport
        self.mavenIncludeAll = mavenIncludeAll
        self.extra = extra
        self.queryEvent = queryEvent
    }
}

/// One ancestor link of a tag (`getFullInheritance`), depth-first in priority order.
public struct KojiInheritance: Sendable, Equatable {
    public var parentID: Int64
    /// The parent tag's name.
    public var name: String
    public var childID: Int64
    public var priority: Int64
    public var maxDepth: Int64?
    public var intransitive: Bool
    public var noConfig: Bool
    public var pkgFilter: String?
    /// `currdepth`: 1 for direct parents.
    public var depth: Int64
    public var nextDepth: Int64?
    /// The pkg_filter regexes accumulated along the path.
    public var filter: [String]

    public init(
        parentID: Int64, name: String, childID: Int64, priority: Int64, maxDepth: Int64? = nil,
        intransitive: Bool = false,
        noConfig: Bool = false, pkgFilter: String? = nil, depth: Int64 = 1, nextDepth: Int64? = nil,
        filter: [String] = []
    ) {
        self.parentID = parentID
        self.name = name
        self.childID = childID
        self.priority = priority
        self.maxDepth = maxDepth
        self.intransitive = intransitive
        self.noConfig = noConfig
        self.pkgFilter = pkgFilter
        self.depth = depth
        self.nextDepth = nextDepth
        self.filter = filter
    }
}

/// A build (`getBuild`), or a tagged build (`listTaggedRPMS`, `listTagged`), which adds `tagID`, `tagName` and
/// `createEvent`.
public struct KojiBuild: Sendable, Equatable {
    /// Koji build states.
    public enum State {
        public static let building: Int64 = 0
        public static let complete: Int64 = 1
        public static let deleted: Int64 = 2
        public static let failed: Int64 = 3
        public static let canceled: Int64 = 4
    }

    public var id: Int64
    /// The package name; also the directory name under `packages/`.
    public var name: String
    public var version: String
    public var release: String
    public var epoch: Int64?
    public var nvr: String
    /// See `KojiBuild.State`.
    public var state: Int64
    /// `DEFAULT` for the main volume.
    public var volumeName: String
    public var packageID: Int64?
    public var ownerName: String?
    public var taskID: Int64?
    public var creationEventID: Int64?
    public var completionTime: String?
    public var completionTS: Double?
    public var draft: Bool
    /// `extra` as Koji sends it (`.nil` when none).
    public var extra: XMLRPCValue
    /// The tag the build was found in (possibly an inherited parent); tagged-build rows only.
    public var tagID: Int64?
    public var tagName: String?
    /// The event at which the build was tagged; tagged-build rows only.
    public var createEvent: Int64?

    public init(
        id: Int64, name: String, version: String, release: String, epoch: Int64? = nil, nvr: String? = nil,
        state: Int64 = State.complete, volumeName: String = "DEFAULT", packageID: Int64? = nil,
        ownerName: String? = nil,
        taskID: Int64? = nil, creationEventID: Int64? = nil, completionTime: String? = nil, completionTS: Double? = nil,
        draft: Bool = false, extra: XMLRPCValue = .nil, tagID: Int64? = nil, tagName: String? = nil,
        createEvent: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.release = release
        self.epoch = epoch
        self.nvr = nvr ?? "\(name)-\(version)-\(release)"
        self.state = state
        self.volumeName = volumeName
        self.packageID = packageID
        self.ownerName = ownerName
        self.taskID = taskID
        self.creationEventID = creationEventID
        self.completionTime = completionTime
        self.completionTS = completionTS
        self.draft = draft
        self.extra = extra
        self.tagID = tagID
        self.tagName = tagName
        self.createEvent = createEvent
    }
}

/// An RPM of a build (`listBuildRPMs`, `listTaggedRPMS`).
public struct KojiRPM: Sendable, Equatable {
    public var id: Int64
    public var buildID: Int64
    /// The RPM's own name (a sub-package name, e.g. `bash-devel`).
    public var name: String
    public var version: String
    public var release: String
    public var epoch: Int64?
    /// `x86_64`, `noarch`, `src`, `nosrc`, ...
    public var arch: String
    public var payloadhash: String
    public var size: Int64
    public var buildtime: Int64
    public var buildrootID: Int64?
    public var metadataOnly: Bool
    public var draft: Bool
    /// From `listTaggedRPMS(rpmsigs: true)`: the signature key of this row (lowercase hex; `""` for an imported
    /// unsigned header), nil when the RPM has no signature. Always nil when signatures were not asked for.
    public var sigkey: String?

    public init(
        id: Int64, buildID: Int64, name: String, version: String, release: String, epoch: Int64? = nil, arch: String,
        payloadhash: String = "", size: Int64 = 0, buildtime: Int64 = 0, buildrootID: Int64? = nil,
        metadataOnly: Bool = false, draft: Bool = false, sigkey: String? = nil
    ) {
        self.id = id
        self.buildID = buildID
        self.name = name
        self.version = version
        self.release = release
        self.epoch = epoch
        self.arch = arch
        self.payloadhash = payloadhash
        self.size = size
        self.buildtime = buildtime
        self.buildrootID = buildrootID
        self.metadataOnly = metadataOnly
        self.draft = draft
        self.sigkey = sigkey
    }

    /// `name-version-release.arch.rpm` (no epoch, as in every Koji path).
    public var filename: String { "\(name)-\(version)-\(release).\(arch).rpm" }

    /// `name-version-release.arch`.
    public var nvra: String { "\(name)-\(version)-\(release).\(arch)" }

    public var isSource: Bool { arch == "src" || arch == "nosrc" }
}

/// Where Koji keeps a build's files, following `koji.PathInfo`. `top` is Koji's top directory as a filesystem path
/// (`/mnt/koji`) or URL (`https://kojipkgs.example.com`); the helpers only join strings.
public struct KojiPathInfo: Sendable, Equatable {
    /// Without a trailing slash.
    public var top: String

    public init(top: String) {
        var top = top
        while top.count > 1, top.hasSuffix("/") { top.removeLast() }
        self.top = top
    }

    /// `<top>` for the DEFAULT volume (or none), `<top>/vol/<volume>` otherwise.
    public func volumeDirectory(_ volumeName: String?) -> String {
        guard let volumeName, !volumeName.isEmpty, volumeName != "DEFAULT" else { return top }
        return "\(top)/vol/\(volumeName)"
    }

    /// `<volume dir>/packages/<build name>/<version>/<release>`.
    public func buildDirectory(_ build: KojiBuild) -> String {
        "\(volumeDirectory(build.volumeName))/packages/\(build.name)/\(build.version)/\(build.release)"
    }

    /// The unsigned RPM: `<build dir>/<arch>/<name>-<version>-<release>.<arch>.rpm`.
    public func rpmPath(build: KojiBuild, rpm: KojiRPM) -> String {
        "\(buildDirectory(build))/\(rpm.arch)/\(rpm.filename)"
    }

    /// The signed copy: `<build dir>/data/signed/<sigkey lowercased>/<arch>/<file>`. It exists only if Koji wrote it
    /// (`writeSignedRPM`); probe before use.
    public func signedRPMPath(build: KojiBuild, rpm: KojiRPM, sigkey: String) -> String {
        "\(buildDirectory(build))/data/signed/\(sigkey.lowercased())/\(rpm.arch)/\(rpm.filename)"
    }

    /// The cached signature header: `<build dir>/data/sigcache/<sigkey lowercased>/<arch>/<file>.sig`.
    public func signatureCachePath(build: KojiBuild, rpm: KojiRPM, sigkey: String) -> String {
        "\(buildDirectory(build))/data/sigcache/\(sigkey.lowercased())/\(rpm.arch)/\(rpm.filename).sig"
    }
}

/// Koji's fault codes (`koji.GenericError` subclasses) that callers check for.
public enum KojiFaultCode {
    /// A non-Koji exception on the hub.
    public static let unexpected = 1
    public static let generic = 1000
    public static let lock = 1001
    public static let auth = 1002
    public static let tag = 1003
    public static let actionNotAllowed = 1004
    public static let build = 1005
    public static let serverOffline = 1014
    public static let parameter = 1019
}
