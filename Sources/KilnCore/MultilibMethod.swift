/// Pungi multilib methods as an ODCS bitmask (`none` is 0).
public struct MultilibMethod: NamedBits {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let runtime = MultilibMethod(rawValue: 1)
    public static let devel = MultilibMethod(rawValue: 2)
    public static let all = MultilibMethod(rawValue: 4)

    public static let named: [(name: String, bits: MultilibMethod)] = [
        ("none", []),
        ("runtime", .runtime),
        ("devel", .devel),
        ("all", .all),
    ]
}

extension MultilibMethod {
    /// The 32-bit arch whose packages multilib adds to a 64-bit arch's tree.
    public static func compatibleArch(of arch: String) -> String? {
        switch arch {
        case "x86_64": "i686"
        case "ppc64": "ppc"
        case "s390x": "s390"
        default: nil
        }
    }

    /// Whether a package (selected for the primary arch) should also come in its compatible-arch build:
    /// `all` takes every package, `devel` the `-devel` packages, `runtime` the shared-library packages.
    public func includes(name: String, isSharedLibrary: Bool) -> Bool {
        contains(.all) || (contains(.devel) && (name.hasSuffix("-devel") || name.hasSuffix("-static")))
            || (contains(.runtime) && isSharedLibrary)
    }
}
