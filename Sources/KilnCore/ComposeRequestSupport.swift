/// What Kiln does with every field of a compose request, by source type. A field, flag or result that would have
/// no effect on the compose Kiln makes is refused at POST, naming it, rather than accepted and dropped: a release
/// engineer gets a 400 at once instead of a `done` compose without what was asked for.
///
/// A field counts as given when it is present with a value: an empty list or string asks for nothing, so it is
/// never refused (clients that always send their defaults keep working).
public enum ComposeRequestSupport {
    /// The top-level keys of a compose request.
    public static let requestKeys: Set<String> = [
        "source", "seconds_to_live", "seconds-to-live", "flags", "results", "arches", "multilib_arches",
        "multilib_method", "lookaside_repos", "parent_pungi_compose_ids", "label", "compose_type", "target_dir",
        "respin_of",
    ]

    /// The keys of a compose request's `source` object.
    public static let sourceKeys: Set<String> = [
        "type", "source", "packages", "builds", "sigkeys", "koji_event", "modular_koji_tags", "module_defaults_url",
        "module_defaults_commit", "scratch_modules", "scratch_build_tasks", "modules", "base_module_br_name",
        "base_module_br_stream", "base_module_br_stream_version_lte", "base_module_br_stream_version_gte",
    ]

    /// What the source types that gather packages (and solve their dependencies) have in common.
    static let gathering: Set<SourceType> = [.tag, .build, .repo, .pungiCompose]

    /// The source types each field applies to, with why it does not apply elsewhere when that is not obvious.
    /// Fields not listed (`source`, `type`, `seconds_to_live`, `label`, `compose_type`, `target_dir`,
    /// `parent_pungi_compose_ids`, `respin_of`) apply to every compose.
    static let fields: [(key: String, inSource: Bool, types: Set<SourceType>)] = [
        // A module compose is the modules' own RPMs, as ODCS makes it: no package selection.
        ("packages", true, [.tag, .build, .repo]),
        ("builds", true, [.tag, .build]),
        ("sigkeys", true, [.tag, .build, .module]),
        ("koji_event", true, [.tag, .rawConfig]),
        ("scratch_build_tasks", true, [.tag, .build]),
        ("modular_koji_tags", true, [.tag, .module]),
        ("module_defaults_url", true, [.tag, .module]),
        ("module_defaults_commit", true, [.tag, .module]),
        ("scratch_modules", true, [.module]),
        ("modules", true, [.tag]),
        ("base_module_br_name", true, [.module]),
        ("base_module_br_stream", true, [.module]),
        ("base_module_br_stream_version_lte", true, [.module]),
        ("base_module_br_stream_version_gte", true, [.module]),
        ("arches", false, [.tag, .build, .repo, .module]),
        ("multilib_arches", false, gathering),
        ("multilib_method", false, gathering),
        ("lookaside_repos", false, gathering),
    ]

    /// The source types each flag applies to.
    static let flags: [(flag: ComposeFlags, types: Set<SourceType>)] = [
        (.noDeps, gathering.union([.module])),
        (.noInheritance, [.tag]),
        (.includeUnpublishedPulpRepos, [.pulp]),
        (.checkDeps, gathering),
        (.includeDoneModules, [.module]),
        (.ignoreAbsentPulpRepos, [.pulp]),
        (.noReuse, Set(SourceType.allCases)),
        (.useOnlyCompatibleArch, [.pulp]),
        (.noLabel, Set(SourceType.allCases)),
    ]

    /// Refuses the first field, flag or result of the request that the compose would not honour.
    public static func check(
        _ data: JSONObject, source: JSONObject, type: SourceType, flags: ComposeFlags, results: ComposeResults,
        configuration: ServiceConfiguration
    ) throws(ComposeError) {
        for key in data.keys.sorted() where !requestKeys.contains(key) {
            throw .invalid("Unknown field \"\(key)\" in the compose request.")
        }
        for key in source.keys.sorted() where !sourceKeys.contains(key) {
            throw .invalid("Unknown field \"source.\(key)\" in the compose request.")
        }
        try checkModuleBuilds(source)
        if let url = source["module_defaults_url"]?.stringValue, !url.isEmpty {
            try checkModuleDefaults(url, commit: source["module_defaults_commit"]?.stringValue ?? "", configuration)
        }
        switch type {
        case .module:
            try checkModules(source, configuration: configuration)
        case .rawConfig where configuration.pungiCommand.isEmpty:
            throw .invalid(
                "raw_config composes are made by Pungi, which this Kiln server does not run: configure pungi_command "
                    + "(the pungi-koji command line) to make them.")
        default:
            break
        }
        for field in fields {
            let object = field.inSource ? source : data
            guard let value = object[field.key], isGiven(value), !field.types.contains(type) else { continue }
            let name = field.inSource ? "source.\(field.key)" : field.key
            throw .invalid("Field \"\(name)\" does not apply to \(type.name) composes\(reason(type, field.key)).")
        }
        for entry in Self.flags where flags.contains(entry.flag) && !entry.types.contains(type) {
            let name = ComposeFlags.named.first { $0.bits == entry.flag }?.name ?? "\(entry.flag.rawValue)"
            throw .invalid("Flag \"\(name)\" does not apply to \(type.name) composes.")
        }
        if flags.contains(.noLabel), let label = data["label"]?.stringValue, !label.isEmpty {
            throw .invalid("Flag \"no_label\" asks for a compose without a label, but label \"\(label)\" is given.")
        }
        if results.contains(.bootISO) {
            throw .invalid(
                "Result \"boot.iso\" needs lorax to build bootable installer images; Debian does not package lorax "
                    + "and this Kiln host cannot make them. Ask for \"repository\" and \"iso\" only.")
        }
        if results.contains(.ostree) {
            throw .invalid(
                "Result \"ostree\" needs rpm-ostree to compose OSTree commits; Debian does not package rpm-ostree "
                    + "and this Kiln host cannot make them. Ask for \"repository\" and \"iso\" only.")
        }
        if results.contains(.iso), !gathering.contains(type) {
            throw .invalid(
                "Result \"iso\" does not apply to \(type.name) composes: only composes with a package tree (tag, "
                    + "build, repo, pungi_compose) have ISO images.")
        }
    }

    /// `modules` names module builds: each entry a complete N:S:V:C.
    static func checkModuleBuilds(_ source: JSONObject) throws(ComposeError) {
        for entry in (source["modules"]?.arrayValue ?? []).compactMap(\.stringValue) where !entry.isEmpty {
            guard let spec = ModuleSpec(parsing: entry), spec.isComplete else {
                throw .invalid("modules must be module builds as N:S:V:C, not \"\(entry)\".")
            }
        }
    }

    /// The git repository of modulemd-defaults documents must be an allowed remote source (it is cloned over http(s)),
    /// and the commit a git commit id.
    static func checkModuleDefaults(
        _ url: String, commit: String, _ configuration: ServiceConfiguration
    ) throws(ComposeError) {
        _ = try configuration.remoteSources.check(url)
        let hex = commit.utf8.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
        guard hex, (7...64).contains(commit.utf8.count) else {
            throw .invalid("module_defaults_commit must be a git commit id (7 to 64 lowercase hex digits).")
        }
    }

    /// A module compose names modules Kiln can look up: the Module Build Service must be configured, and each
    /// entry must be `n:s`, `n:s:v` or `n:s:v:c` with a numeric version.
    static func checkModules(_ source: JSONObject, configuration: ServiceConfiguration) throws(ComposeError) {
        let modularTags = source["modular_koji_tags"].map(isGiven) ?? false
        let scratch = source["scratch_modules"].map(isGiven) ?? false
        guard configuration.mbsURL != nil || (modularTags && !scratch) else {
            throw .invalid(
                "Module composes are resolved through the Module Build Service (or in modular_koji_tags), which "
                    + "this Kiln is not configured for: an administrator must configure mbs_url.")
        }
        let entries = (source["source"]?.stringValue ?? "").split(separator: " ")
        if entries.isEmpty, !(source["scratch_modules"].map(isGiven) ?? false) {
            throw .invalid("No source provided for \(SourceType.module.rawValue)")
        }
        for entry in (source["scratch_modules"]?.arrayValue ?? []).compactMap(\.stringValue) where !entry.isEmpty {
            guard let spec = ModuleSpec(parsing: entry), spec.isComplete else {
                throw .invalid("scratch_modules must be scratch module builds as N:S:V:C, not \"\(entry)\".")
            }
        }
        for entry in entries where ModuleSpec(parsing: String(entry)) == nil {
            throw .invalid(
                "Module definition must be in \"n:s\", \"n:s:v\" or \"n:s:v:c\" format (the version a number), "
                    + "but got \(entry)")
        }
    }

    /// The keys of a PATCH (renewal) body, and those of its `source`.
    public static let renewalKeys: Set<String> = ["seconds_to_live", "seconds-to-live", "label", "sigkeys", "source"]
    public static let renewalSourceKeys: Set<String> = ["modules", "builds"]

    /// Refuses a renewal body's unknown keys.
    public static func checkRenewalKeys(_ body: JSONObject) throws(ComposeError) {
        for key in body.keys.sorted() where !renewalKeys.contains(key) {
            throw .invalid("Unknown field \"\(key)\" in the renewal request.")
        }
        guard let value = body["source"] else { return }
        guard let source = value.objectValue else { throw .invalid("\"source\" must be an object.") }
        for key in source.keys.sorted() where !renewalSourceKeys.contains(key) {
            throw .invalid("Unknown field \"source.\(key)\" in the renewal request.")
        }
    }

    /// Refuses what a renewal's copy of a `type` compose would carry without honouring: new `sigkeys`, `builds` or
    /// `modules` where that source type has no use for them.
    public static func checkRenewal(_ body: JSONObject, type: SourceType) throws(ComposeError) {
        let source = body["source"]?.objectValue
        if let source { try checkModuleBuilds(source) }
        let given: [(key: String, value: JSON?, name: String)] = [
            ("sigkeys", body["sigkeys"], "sigkeys"), ("builds", source?["builds"], "source.builds"),
            ("modules", source?["modules"], "source.modules"),
        ]
        for (key, value, name) in given {
            guard let value, isGiven(value), let field = fields.first(where: { $0.key == key }),
                !field.types.contains(type)
            else { continue }
            throw .invalid("Field \"\(name)\" does not apply to \(type.name) composes\(reason(type, key)).")
        }
    }

    /// Whether `text` is an RPM arch name (`x86_64`, `aarch64`, `noarch`, ...): letters, digits and `_`, at most 32.
    /// Arches become directory names of the compose tree, so nothing else may pass.
    public static func isArchName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 32
            && text.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F
            }
    }

    /// Whether `text` may name the commit of a raw_config source: a commit hash (7 to 64 hex digits) or a branch
    /// name git accepts, which cannot be read as an option (no leading `-`).
    public static func isGitRevision(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 200, !text.hasPrefix("-"), !text.hasPrefix("/"), !text.hasSuffix("/"),
            !text.hasSuffix(".lock"), !text.contains(".."), !text.contains("//")
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._/-".unicodeScalars.contains($0))
        }
    }

    /// Whether a field asks for something: an empty list or string does not.
    static func isGiven(_ value: JSON) -> Bool {
        switch value {
        case .array(let items): !items.isEmpty && !items.allSatisfy { $0.stringValue == "" }
        case .string(let text): !text.isEmpty
        case .null: false
        default: true
        }
    }

    static func reason(_ type: SourceType, _ key: String) -> String {
        switch type {
        case .pungiCompose where ["packages", "builds", "sigkeys", "arches"].contains(key):
            ": it takes its builds, packages, arches and signing keys from the source compose"
        case .pulp:
            ": it is a .repo file naming Pulp's repositories, with their own arches and signatures"
        case .repo where key == "sigkeys" || key == "koji_event":
            ": its packages and revision are the repository's"
        default:
            ""
        }
    }
}
