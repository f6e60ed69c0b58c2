internal import Foundation
internal import KilnCore
internal import KilnHTTP

extension ComposePipeline {
    /// A `module` compose, as ODCS and Pungi make one: the requested modules resolved through the Module Build
    /// Service to complete N:S:V:C builds (their requirements too unless `no_deps`; `source` is rewritten to them),
    /// each build's RPMs from its Koji tag limited to its modulemd's artifacts, all of them placed without solving
    /// dependencies, and each arch's repodata carrying the modules' `modules.yaml`, listed in `metadata/modules.json`.
    @available(*, noasync, message: "blocks")
    func buildModules(_ compose: Compose, host: any GenerationHost, log: GenerationLog) throws -> GenerationOutcome {
        let (koji, client) = try kojiClient()
        try host.setProgress(phase: "resolving modules", done: 0, total: 0)
        let specs = compose.source.split(separator: " ").compactMap { ModuleSpec(parsing: String($0)) }
        let lookup: (ModuleResolution.Query) throws -> [ModuleBuild]
        let modularTags = (compose.modularKojiTags ?? "").split(separator: " ").map(String.init)
        let scratchSpecs = (compose.scratchModules ?? "").split(separator: " ").compactMap {
            ModuleSpec(parsing: String($0))
        }
        let mbs = try service.mbsURL.map { try MBSClient(url: $0, client: client) }
        let askMBS = { (query: ModuleResolution.Query) throws -> [ModuleBuild] in
            guard let mbs else { throw GenerationError("mbs_url is not configured") }
            return try RemoteFetch.retryingCalls(log: log) { try mbs.moduleBuilds(query) }.map(Self.readingModulemd)
        }
        if modularTags.isEmpty {
            lookup = askMBS
        } else {
            // The module builds tagged in the modular Koji tags (with inheritance) at the last event, instead of MBS.
            let event = try koji.getLastEvent().id
            lookup = { query in
                try Self.taggedModules(modularTags, package: query.name, event: event, koji: koji)
            }
        }
        let builds = try ModuleResolution.resolve(
            specs, includeDone: compose.flags.contains(.includeDoneModules), expand: !compose.flags.contains(.noDeps),
            baseModules: service.baseModuleNames, compose: compose, lookup: lookup)
        let source = builds.map(\.nsvc).joined(separator: " ")
        // Scratch module builds, from MBS, as named (ODCS keeps them out of `source`).
        var scratch: [ModuleBuild] = []
        for spec in scratchSpecs {
            let query = ModuleResolution.Query(
                name: spec.name, stream: spec.stream, version: spec.version, context: spec.context,
                states: ["ready", "done"])
            guard let build = ModuleResolution.scratch(spec, in: try askMBS(query)) else {
                throw ModuleResolution.Failure("Failed to find scratch module \(spec) in the MBS.")
            }
            if !builds.contains(where: { $0.nsvc == build.nsvc }) { scratch.append(build) }
        }
        if !scratch.isEmpty { log.write("Scratch modules: \(scratch.map(\.nsvc).joined(separator: " "))") }
        log.write("Modules: \(source)")
        try host.recordResolvedSource(
            source: source, arches: compose.arches ?? "x86_64", sigkeys: compose.sigkeys ?? "")
        var resolved = compose
        resolved.source = source

        let staging = ComposeWriter.workPath(
            targetDir: service.targetDir, name: "odcs-\(compose.id)", purpose: "pkgset")
        try? FileManager.default.removeItem(atPath: staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try host.setProgress(phase: "gathering the Koji package set", done: 0, total: 0)
        let set = try KojiPackageSet(koji: koji, downloader: client, log: log).make(
            modules: builds + scratch, for: resolved,
            into: staging
        ) { done, total in
            try? host.setProgress(phase: "gathering the Koji package set", done: done, total: total)
        }
        let defaults = try moduleDefaults(compose, staging: staging, log: log)
        // Every RPM of the modules, no dependency solving (Pungi's gather method "nodeps" for modules); not pinned to
        // the package set's revision: the N:S:V:C builds pin the compose.
        return try gatherAndWrite(
            resolved, host: host, log: log, sourcePath: staging, lookaside: [], remote: nil, event: nil,
            sigkeys: set.sigkeys, unacceptable: set.unacceptable, unacceptableMessage: set.unacceptableMessage,
            pinsRevision: false, everyPackage: true,
            finishing: { tree, metadata in
                try Self.addModuleMetadata(
                    builds + scratch, defaults: defaults, tree: tree, metadata: metadata, log: log)
            })
    }

    /// The module builds of `package` (every one when nil) tagged in `tags` (with inheritance) at `event`, with what
    /// their modulemd says.
    @available(*, noasync, message: "blocks")
    static func taggedModules(_ tags: [String], package: String?, event: Int64, koji: KojiClient) throws
        -> [ModuleBuild]
    {
        var found: [ModuleBuild] = []
        var seen = Set<Int64>()
        for tag in tags {
            for tagged in try koji.listTagged(tag, event: event, inherit: true, package: package, type: "module")
            where seen.insert(tagged.id).inserted {
                guard let build = try koji.getBuild(id: tagged.id), let module = build.moduleBuild else {
                    throw GenerationError("Koji build \(tagged.nvr) in \(tag) is not a module build Kiln can read")
                }
                found.append(try readingModulemd(module))
            }
        }
        return found
    }

    /// The modules a `tag` compose adds to its package set: the latest (every context of the highest version) of
    /// each `name:stream` tagged in its `modular_koji_tags`, and the N:S:V:C builds its `modules` names.
    @available(*, noasync, message: "blocks")
    func modulesOfTag(_ compose: Compose, koji: KojiClient, log: GenerationLog) throws -> [ModuleBuild] {
        guard compose.sourceType == .tag else { return [] }
        let tags = (compose.modularKojiTags ?? "").split(separator: " ").map(String.init)
        let named = (compose.modules ?? "").split(separator: " ").map(String.init)
        guard !tags.isEmpty || !named.isEmpty else { return [] }
        let event = try compose.kojiEvent ?? koji.getLastEvent().id
        var modules: [ModuleBuild] = []
        let tagged = try Self.taggedModules(tags, package: nil, event: event, koji: koji)
        for nameStream in Set(tagged.map(\.nameStream)).sorted() {
            let builds = tagged.filter { $0.nameStream == nameStream }
            let query = ModuleResolution.Query(
                name: builds[0].name, stream: builds[0].stream, states: ["ready"])
            modules += ModuleResolution.latest(builds, answering: query)
        }
        for text in named {
            guard let spec = ModuleSpec(parsing: text), spec.isComplete else {
                throw GenerationError("modules must be N:S:V:C, not \(text)")
            }
            // Koji names a module build <name>-<stream with "-" as "_">-<version>.<context>.
            let nvr =
                "\(spec.name)-\(spec.stream.replacingOccurrences(of: "-", with: "_"))-\(spec.version!).\(spec.context!)"
            guard let build = try koji.getBuild(nvr), let module = build.moduleBuild else {
                throw GenerationError("Koji has no module build \(text)")
            }
            if !modules.contains(where: { $0.nsvc == module.nsvc }) { modules.append(try Self.readingModulemd(module)) }
        }
        log.write("Modules: \(modules.map(\.nsvc).sorted().joined(separator: " "))")
        return modules.sorted { $0.nsvc < $1.nsvc }
    }

    /// A build from MBS with what its modulemd says: run-time requirements and RPM artifacts.
    static func readingModulemd(_ build: ModuleBuild) throws -> ModuleBuild {
        let streams = try ModuleMetadata.streams(in: build.modulemd, what: "The modulemd of \(build.nsvc)")
        guard let stream = streams.first(where: { $0.name == build.name && $0.stream == build.stream }) else {
            throw GenerationError("The modulemd of \(build.nsvc) describes another module")
        }
        var read = build
        read.requires = stream.requires
        read.artifacts = stream.artifacts
        return read
    }

    /// Each arch's `modules.yaml` (added to its repodata with modifyrepo_c) and `metadata/modules.json`, in the
    /// written tree `tree`.
    static func addModuleMetadata(
        _ builds: [ModuleBuild], defaults: [String], tree: String, metadata: ProductmdMetadata, log: GenerationLog
    ) throws {
        let yaml = try ModuleMetadata.modulesYAML(builds.map(\.modulemd), defaults: defaults)
        var modules: [ProductmdMetadata.Module] = []
        for arch in metadata.arches {
            let repodata = "\(tree)/compose/Temporary/\(arch)/os/repodata"
            let work = "\(tree)/compose/Temporary/\(arch)/os/.modules"
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: work) }
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: work + "/modules.yaml"))
            try ComposeWriter.run(
                "/usr/bin/modifyrepo_c", ["--mdtype=modules", "--compress-type=gz", work + "/modules.yaml", repodata])
            let files = try FileManager.default.contentsOfDirectory(atPath: repodata)
            guard let file = files.first(where: { $0.hasSuffix("modules.yaml.gz") }) else {
                throw GenerationError("modifyrepo_c did not add modules.yaml to the \(arch) repodata")
            }
            for build in builds {
                modules.append(
                    .init(
                        build: build, arch: arch, modulemdPath: "Temporary/\(arch)/os/repodata/\(file)",
                        rpms: ProductmdMetadata.moduleRPMs(build.artifacts, arch: arch)))
            }
        }
        try Data(metadata.modulesDocument(modules).serialized().utf8).write(
            to: URL(fileURLWithPath: "\(tree)/compose/metadata/modules.json"))
        log.write("modules.yaml with \(builds.count) module streams added to \(metadata.arches.count) arches")
    }
}

extension ComposePipeline {
    /// The modulemd-defaults documents of the compose's `module_defaults_url` git repository at its commit (every
    /// top-level `*.yaml` file, as Pungi's `module_defaults_dir`); none without one. The repository is cloned over
    /// http(s) only, without following redirects, from a URL the allowed remote sources still allow, within
    /// `git_timeout`.
    @available(*, noasync, message: "blocks")
    func moduleDefaults(_ compose: Compose, staging: String, log: GenerationLog) throws -> [String] {
        guard let pair = compose.moduleDefaultsURL, !pair.isEmpty else { return [] }
        let parts = pair.split(separator: " ").map(String.init)
        guard parts.count == 2 else { throw GenerationError("module_defaults_url is not \"<url> <commit>\"") }
        let url = try service.remoteSources.check(parts[0]).description
        let commit = parts[1]
        let checkout = staging + "-defaults"
        try? FileManager.default.removeItem(atPath: checkout)
        defer { try? FileManager.default.removeItem(atPath: checkout) }
        log.write("Module defaults: \(url) at \(commit)")
        let options = [
            "-c", "protocol.allow=never", "-c", "protocol.http.allow=always", "-c", "protocol.https.allow=always",
            "-c", "http.followRedirects=false",
        ]
        switch try gitCheckout(url: url, revision: commit, into: checkout, options: options, log: log) {
        case .checkedOut: break
        case .cloneFailed: throw GenerationError("The module defaults repository \(url) could not be cloned")
        case .noSuchRevision, .checkoutFailed:
            throw GenerationError("The module defaults repository \(url) has no commit \(commit)")
        }
        var documents: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: checkout).sorted() where name.hasSuffix(".yaml")
        {
            let path = checkout + "/" + name
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard attributes[.type] as? FileAttributeType == .typeRegular,
                let size = attributes[.size] as? Int, size <= MBSClient.maxModulemdBytes
            else { throw GenerationError("Module defaults file \(name) is not a regular file of at most 4 MiB") }
            documents.append(try String(contentsOfFile: path, encoding: .utf8))
        }
        guard documents.count <= 10_000 else {
            throw GenerationError("The module defaults repository has too many files")
        }
        log.write("Module defaults: \(documents.count) files")
        return documents
    }
}

extension RemoteFetch {
    /// Up to three tries of a call to a service when the transport fails, two seconds apart.
    @available(*, noasync, message: "blocks")
    static func retryingCalls<T>(log: GenerationLog, _ call: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try call()
            } catch let error as HTTPClientError where attempt < 3 && error.code != .tooLarge {
                log.write("\(SourceFetchError(error)); retrying")
                sleep(2)
            }
        }
    }
}
