/// One package of a repository, as its `primary.xml` describes it.
public struct RepoPackage: Sendable, Hashable, CustomStringConvertible {
    /// A package file checksum from `primary.xml`, e.g. type `sha256` and its lowercase hex digest.
    public struct Checksum: Sendable, Hashable {
        public var type: String
        public var hex: String

        public init(type: String, hex: String) {
            self.type = type
            self.hex = hex
        }
    }

    public var name: String
    /// 0 when the package has none.
    public var epoch: Int
    public var version: String
    public var release: String
    /// `x86_64`, `noarch`, `src`, ...
    public var arch: String
    /// The package file's href, relative to the repository root (the directory holding `repodata/`).
    public var location: String
    public var checksum: Checksum?
    /// The package file's size as the metadata declares it (`<size package=…>`), when it does.
    public var size: Int64?
    /// The `xml:base` of the package's location: the file lies at that URL or directory instead of the
    /// repository's own. Kiln takes packages only from the repository itself.
    public var locationBase: String?
    /// File name of the source RPM this package was built from (`rpm:sourcerpm`); nil for source RPMs.
    public var sourceRPM: String?
    /// The name the repository was added under.
    public var repository: String

    public init(
        name: String, epoch: Int = 0, version: String, release: String, arch: String, location: String,
        checksum: Checksum? = nil, size: Int64? = nil, locationBase: String? = nil, sourceRPM: String? = nil,
        repository: String
    ) {
        self.name = name
        self.epoch = epoch
        self.version = version
        self.release = release
        self.arch = arch
        self.location = location
        self.checksum = checksum
        self.size = size
        self.locationBase = locationBase
        self.sourceRPM = sourceRPM
        self.repository = repository
    }

    /// `name-epoch:version-release.arch`, the epoch always written (productmd's form, e.g. `bash-0:5.2.15-3.x86_64`).
    public var nevra: String { "\(name)-\(epoch):\(version)-\(release).\(arch)" }

    /// The last path component of `location`, e.g. `bash-5.2.15-3.fc39.x86_64.rpm`.
    public var fileName: String {
        guard let slash = location.lastIndex(of: "/") else { return location }
        return String(location[location.index(after: slash)...])
    }

    /// True for source packages (arch `src` or `nosrc`).
    public var isSource: Bool { arch == "src" || arch == "nosrc" }

    public var description: String { nevra }
}
