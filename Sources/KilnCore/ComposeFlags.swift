/// ODCS compose flags; raw values are ODCS's bits.
public struct ComposeFlags: NamedBits {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let noDeps = ComposeFlags(rawValue: 1)
    public static let noInheritance = ComposeFlags(rawValue: 2)
    public static let includeUnpublishedPulpRepos = ComposeFlags(rawValue: 4)
    public static let checkDeps = ComposeFlags(rawValue: 8)
    public static let includeDoneModules = ComposeFlags(rawValue: 16)
    public static let ignoreAbsentPulpRepos = ComposeFlags(rawValue: 32)
    public static let noReuse = ComposeFlags(rawValue: 64)
    public static let useOnlyCompatibleArch = ComposeFlags(rawValue: 128)
    public static let noLabel = ComposeFlags(rawValue: 256)

    public static let named: [(name: String, bits: ComposeFlags)] = [
        ("no_flags", []),
        ("no_deps", .noDeps),
        ("no_inheritance", .noInheritance),
        ("include_unpublished_pulp_repos", .includeUnpublishedPulpRepos),
        ("check_deps", .checkDeps),
        ("include_done_modules", .includeDoneModules),
        ("ignore_absent_pulp_repos", .ignoreAbsentPulpRepos),
        ("no_reuse", .noReuse),
        ("use_only_compatible_arch", .useOnlyCompatibleArch),
        ("no_label", .noLabel),
    ]
}
