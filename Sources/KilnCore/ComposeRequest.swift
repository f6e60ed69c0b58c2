/// A validated POST `/api/1/composes/` body, checked in the order ODCS checks it, ready to insert.
public struct ComposeRequest: Sendable, Equatable {
    /// The new compose's columns; `id` and the times are assigned when it is stored.
    public var compose: Compose
    public var secondsToLive: Int64

    /// Parses and validates the raw body in ODCS's order; the first failure wins.
    public static func parse(
        body: [UInt8], owner: String, configuration: ServiceConfiguration, repoPolicy: RepoSourcePolicy? = nil
    ) throws(ComposeError) -> ComposeRequest {
        let data = try RequestBody.object(body, emptyMessage: "No JSON POST data submitted", blankIsEmpty: false)
        return try parse(data, owner: owner, configuration: configuration, repoPolicy: repoPolicy)
    }

    public static func parse(
        _ data: JSONObject, owner: String, configuration: ServiceConfiguration, repoPolicy: RepoSourcePolicy? = nil
    ) throws(ComposeError) -> ComposeRequest {
        try InputValidation.validate(data)

        guard let source = data["source"]?.objectValue else {
            throw .invalid("Invalid source configuration provided: \(JSON.object(data).serialized())")
        }
        guard let typeName = source["type"]?.stringValue else {
            throw .invalid("Missing type in source configuration, received: \(JSON.object(source).serialized())")
        }
        guard let sourceType = SourceType(name: typeName) else { throw .invalid("Unknown source type \"\(typeName)\"") }

        let sourceText = try optionalString(source, "source") ?? ""
        var sources: [String] = []
        for item in sourceText.split(separator: " ").map(String.init) where !sources.contains(item) {
            sources.append(item)
        }
        let modules = try joinedList(source, "modules")
        let scratchModules = try joinedList(source, "scratch_modules")

        let sourceMayBeEmpty = sourceType == .build || (sourceType == .module && scratchModules != nil)
        if sources.isEmpty && !sourceMayBeEmpty { throw .invalid("No source provided for \(sourceType.rawValue)") }

        var rawConfigKey: String?
        switch sourceType {
        case .rawConfig:
            if sources.count > 1 { throw .invalid("Only single source is allowed for \"raw_config\" source_type") }
            let parts = sources[0].split(separator: "#", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .invalid("Source must be in \"source_name#commit_hash\" format for \"raw_config\" source_type.")
            }
            let key = String(parts[0])
            guard configuration.rawConfigURLs[key] != nil else {
                throw .invalid("Source \"\(key)\" does not exist in server configuration.")
            }
            guard ComposeRequestSupport.isGitRevision(String(parts[1])) else {
                throw .invalid(
                    "The commit \"\(parts[1])\" of raw_config source \"\(key)\" must be a commit hash or a branch "
                        + "name.")
            }
            rawConfigKey = key
        case .module:
            for entry in sources {
                let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count >= 2 else {
                    throw .invalid(
                        "Module definition must be in \"n:s\", \"n:s:v\" or \"n:s:v:c\" format, but got \(entry)")
                }
                if configuration.baseModuleNames.contains(String(parts[0])) {
                    throw .invalid(
                        "ODCS currently cannot create compose with base modules, but \(parts[0]) was requested.")
                }
            }
        case .repo:
            // Checked here, at submission, so a refused path is never read by the generator.
            if let repoPolicy { for item in sources { _ = try repoPolicy.check(item) } }
        case .pungiCompose:
            // A variant URL the generator would fetch: checked against the allowed remote sources now.
            if let repoPolicy { for item in sources { _ = try repoPolicy.remote.check(item) } }
        default:
            break
        }

        let secondsToLive = try SecondsToLive.resolve(
            body: data, rawConfigKey: rawConfigKey, configuration: configuration)

        var compose = Compose(
            owner: owner, sourceType: sourceType, source: sources.joined(separator: " "),
            timeToExpire: Timestamp(secondsSinceEpoch: 0), timeSubmitted: Timestamp(secondsSinceEpoch: 0)
        )
        compose.packages = try joinedList(source, "packages")
        compose.builds = try joinedList(source, "builds")
        compose.sigkeys = try joinedList(source, "sigkeys") ?? configuration.sigkeys.joined(separator: " ")
        compose.kojiEvent = try nonNegative(source, "koji_event")
        compose.modules = modules
        compose.scratchModules = scratchModules

        var flags: ComposeFlags = []
        for name in try stringList(data, "flags") ?? [] {
            guard let flag = ComposeFlags(name: name) else { throw .invalid("Unknown flag \(name)") }
            flags.formUnion(flag)
        }
        compose.flags = flags
        var results: ComposeResults = .repository
        for name in try stringList(data, "results") ?? [] {
            guard let result = ComposeResults(name: name) else { throw .invalid("Unknown result \(name)") }
            results.formUnion(result)
        }
        compose.results = results

        for key in ["arches", "multilib_arches"] {
            for arch in try stringList(data, key) ?? [] where !ComposeRequestSupport.isArchName(arch) {
                throw .invalid("\(key) must be arch names such as x86_64 or aarch64, not \"\(arch)\".")
            }
        }
        compose.arches = try joinedList(data, "arches") ?? configuration.arches.joined(separator: " ")
        compose.multilibArches = try joinedList(data, "multilib_arches") ?? ""
        let lookaside = try stringList(data, "lookaside_repos") ?? []
        if let repoPolicy { for item in lookaside { _ = try repoPolicy.check(item) } }
        compose.lookasideRepos = lookaside.joined(separator: " ")
        compose.parentPungiComposeIDs = try joinedList(data, "parent_pungi_compose_ids")
        compose.respinOf = try optionalString(data, "respin_of")
        var multilib: MultilibMethod = []
        for name in try stringList(data, "multilib_method") ?? [] {
            guard let method = MultilibMethod(name: name) else { throw .invalid("Unknown multilib method \"\(name)\"") }
            multilib.formUnion(method)
        }
        compose.multilibMethod = multilib

        compose.modularKojiTags = try joinedList(source, "modular_koji_tags")
        let defaultsURL = try optionalString(source, "module_defaults_url")
        let defaultsCommit = try optionalString(source, "module_defaults_commit")
        if (defaultsURL == nil) != (defaultsCommit == nil) {
            throw .invalid("The \"module_defaults_url\" and \"module_defaults_commit\" must be used together.")
        }
        if let defaultsURL, let defaultsCommit { compose.moduleDefaultsURL = "\(defaultsURL) \(defaultsCommit)" }

        let scratchTasks = try stringList(source, "scratch_build_tasks")
        for task in scratchTasks ?? [] {
            // Koji task ids are PostgreSQL integers.
            guard let id = Int64(task), (1...Int64(Int32.max)).contains(id), task.utf8.first != UInt8(ascii: "+") else {
                throw .invalid("scratch_build_tasks must be Koji task ids (1 to \(Int32.max)), not \"\(task)\".")
            }
        }
        compose.scratchBuildTasks = scratchTasks?.joined(separator: " ")
        compose.baseModuleBRName = source["base_module_br_name"]?.stringValue
        compose.baseModuleBRStream = source["base_module_br_stream"]?.stringValue
        compose.baseModuleBRStreamVersionLTE = try nonNegative(source, "base_module_br_stream_version_lte")
        compose.baseModuleBRStreamVersionGTE = try nonNegative(source, "base_module_br_stream_version_gte")

        // Both become parts of file names under the target directory (`latest-<name>-<type>-<label>`).
        compose.label = try label(data["label"]?.stringValue)
        let composeType = data["compose_type"]?.stringValue ?? "test"
        guard configuration.composeTypes.contains(composeType) else {
            throw .invalid(
                "Unknown compose_type \"\(composeType)\"; it must be one of "
                    + configuration.composeTypes.joined(separator: ", ") + ".")
        }
        compose.composeType = composeType

        if let name = data["target_dir"]?.stringValue, name != "default" {
            guard let path = configuration.extraTargetDirs[name] else {
                throw .invalid("Unknown \"target_dir\" \"\(name)\"")
            }
            compose.targetDir = path
        } else {
            compose.targetDir = configuration.targetDir
        }
        try ComposeRequestSupport.check(
            data, source: source, type: sourceType, flags: flags, results: results, configuration: configuration)
        return ComposeRequest(compose: compose, secondsToLive: secondsToLive)
    }

    /// A list of strings, or nil when the key is absent. A string where a list belongs is refused (ODCS would
    /// iterate its characters).
    static func stringList(_ object: JSONObject, _ key: String) throws(ComposeError) -> [String]? {
        guard let value = object[key] else { return nil }
        guard let array = value.arrayValue else { throw .invalid("\(key) should be a list") }
        var strings: [String] = []
        for element in array {
            guard let s = element.stringValue else { throw .invalid("\(key) should be a list of strings") }
            strings.append(s)
        }
        return strings
    }

    /// A label in productmd's format (`Alpha-1.0`, `RC-1.2`); nil for none or an empty one.
    static func label(_ value: String?) throws(ComposeError) -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard ComposeID.isValidLabel(value) else {
            throw .invalid("Invalid label \"\(value)\": it must be a productmd label such as Alpha-1.0 or RC-1.2.")
        }
        return value
    }

    /// An integer from 0 to 2^31 - 1 (Koji events and stream versions), or nil when the key is absent.
    static func nonNegative(_ object: JSONObject, _ key: String) throws(ComposeError) -> Int64? {
        guard let value = object[key] else { return nil }
        guard let n = value.integerValue, (0...Int64(Int32.max)).contains(n) else {
            throw .invalid("\(key) must be an integer from 0 to \(Int32.max).")
        }
        return n
    }

    static func joinedList(_ object: JSONObject, _ key: String) throws(ComposeError) -> String? {
        try stringList(object, key)?.joined(separator: " ")
    }

    static func optionalString(_ object: JSONObject, _ key: String) throws(ComposeError) -> String? {
        guard let value = object[key] else { return nil }
        guard let s = value.stringValue else { throw .invalid("\(key) should be a string") }
        return s
    }
}
