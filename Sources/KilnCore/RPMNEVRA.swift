/// One RPM's name, epoch, version, release and arch, as productmd spells it in `rpms.json`:
/// `name-epoch:version-release.arch` (the epoch is always written, `0` when the package has none).
public struct RPMNEVRA: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var name: String
    public var epoch: Int
    public var version: String
    public var release: String
    public var arch: String

    public init(name: String, epoch: Int = 0, version: String, release: String, arch: String) {
        self.name = name
        self.epoch = epoch
        self.version = version
        self.release = release
        self.arch = arch
    }

    /// Parses `name-[epoch:]version-release.arch` (productmd's `parse_nvra`): the arch follows the last dot, the
    /// release the last dash, the version the dash before it; names may hold dashes. Nil when a part is missing.
    public init?(parsing text: String) {
        guard let dot = text.lastIndex(of: ".") else { return nil }
        let arch = text[text.index(after: dot)...]
        guard let nvr = RPMNVR(parsing: String(text[..<dot])), !arch.isEmpty, !arch.contains("-"), !arch.contains(":")
        else { return nil }
        self.init(name: nvr.name, epoch: nvr.epoch ?? 0, version: nvr.version, release: nvr.release, arch: String(arch))
    }

    /// `name-epoch:version-release.arch`, as in `rpms.json`.
    public var description: String { "\(name)-\(epoch):\(version)-\(release).\(arch)" }

    /// The build's `name-version-release`, as Koji names builds.
    public var nvr: String { "\(name)-\(version)-\(release)" }

    public var evr: RPMVersion { RPMVersion(epoch: String(epoch), version: version, release: release) }

    /// Is this a source package (`src` or `nosrc`)?
    public var isSource: Bool { arch == "src" || arch == "nosrc" }

    /// By name and arch, then rpm's version order (`rpmvercmp` on epoch, version, release).
    public static func < (a: RPMNEVRA, b: RPMNEVRA) -> Bool {
        if a.name != b.name { return a.name < b.name }
        if a.arch != b.arch { return a.arch < b.arch }
        let c = RPMVersion.compare(a.evr, b.evr)
        return c != 0 ? c < 0 : a.description < b.description
    }
}

/// `name-[epoch:]version-release` (a build's N-V-R, the `rpm_nvr` filter).
public struct RPMNVR: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// Nil when the text gave none: then any epoch matches.
    public var epoch: Int?
    public var version: String
    public var release: String

    public init(name: String, epoch: Int? = nil, version: String, release: String) {
        self.name = name
        self.epoch = epoch
        self.version = version
        self.release = release
    }

    public init?(parsing text: String) {
        guard let dash = text.lastIndex(of: "-") else { return nil }
        let release = text[text.index(after: dash)...]
        let rest = text[..<dash]
        guard let dash2 = rest.lastIndex(of: "-") else { return nil }
        let name = rest[..<dash2]
        var version = rest[rest.index(after: dash2)...]
        var epoch: Int?
        if let colon = version.firstIndex(of: ":") {
            let digits = version[..<colon]
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let e = Int(digits)
            else { return nil }
            epoch = e
            version = version[version.index(after: colon)...]
        }
        guard !name.isEmpty, !version.isEmpty, !release.isEmpty, !version.contains(":"), !release.contains(":") else {
            return nil
        }
        self.init(name: String(name), epoch: epoch, version: String(version), release: String(release))
    }

    public var description: String { "\(name)-" + (epoch.map { "\($0):" } ?? "") + "\(version)-\(release)" }
}
