internal import Foundation
internal import KilnCore
internal import KilnHTTP

extension ComposePipeline {
    /// The configured Koji hub's client, and the HTTP client it and downloads of its files use.
    func kojiClient() throws -> (KojiClient, HTTPClient) {
        guard let hub = sources.kojiHubURL, let top = sources.kojiTopURL else {
            throw GenerationError("koji_hub_url and koji_top_url are not configured")
        }
        let client = try makeClient(nil, nil, nil)
        return (KojiClient(hubURL: hub, topURL: top, client: client), client)
    }

    /// A `tag` or `build` compose: the package set from Koji, then the common gather and write.
    @available(*, noasync, message: "blocks")
    func buildFromKoji(_ compose: Compose, host: any GenerationHost, log: GenerationLog) throws -> GenerationOutcome {
        let (koji, client) = try kojiClient()
        let staging = ComposeWriter.workPath(
            targetDir: service.targetDir, name: "odcs-\(compose.id)", purpose: "pkgset")
        try? FileManager.default.removeItem(atPath: staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let modules = try modulesOfTag(compose, koji: koji, log: log)
        try host.setProgress(phase: "gathering the Koji package set", done: 0, total: 0)
        let set = try KojiPackageSet(koji: koji, downloader: client, log: log).make(
            for: compose, modules: modules, into: staging
        ) {
            done, total in
            try? host.setProgress(phase: "gathering the Koji package set", done: done, total: total)
        }
        let defaults = modules.isEmpty ? [] : try moduleDefaults(compose, staging: staging, log: log)
        let lookaside = try lookasideRepositories(compose, staging: staging, log: log)
        defer {
            for n in lookaside.indices { try? FileManager.default.removeItem(atPath: "\(staging)-lookaside-\(n)") }
        }
        // A tag compose may reuse an older one pinned at the same event, or one whose tag (and what it inherits) did
        // not change since its event.
        return try gatherAndWrite(
            compose, host: host, log: log, sourcePath: staging, lookaside: lookaside, remote: nil, event: set.event,
            sigkeys: set.sigkeys,
            unacceptable: set.unacceptable, unacceptableMessage: set.unacceptableMessage, alwaysFiles: set.moduleFiles,
            reusable: { candidate in
                guard compose.sourceType == .tag, let since = candidate.kojiEvent, since != set.event else {
                    return true
                }
                return try !koji.tagChangedSinceEvent(since, tags: set.tagIDs)
            },
            finishing: modules.isEmpty
                ? nil
                : { tree, metadata in
                    try Self.addModuleMetadata(modules, defaults: defaults, tree: tree, metadata: metadata, log: log)
                })
    }

    /// A `pungi_compose` compose: the builds and packages of an existing compose's variant, then as a `build` compose.
    @available(*, noasync, message: "blocks")
    func buildFromPungiCompose(_ compose: Compose, host: any GenerationHost, log: GenerationLog) throws
        -> GenerationOutcome
    {
        // The variant URL is parsed and allowed (no query, fragment or dot segment), and so is the rpms.json URL
        // built from it.
        let variantURL = try service.remoteSources.check(compose.source)
        guard let location = PungiComposeSource.metadataURL(variantURL: variantURL.description),
            let metadataURL = try? RemoteURL(parsing: location.url), service.remoteSources.allows(metadataURL)
        else {
            throw GenerationError(
                "A pungi_compose source must be the http(s) URL of a compose variant (…/compose/<Variant>)")
        }
        let client = try makeClient(nil, nil, service.remoteSources)
        log.write("Reading \(location.url)")
        let answer = try RemoteFetch.retrying(log: log) { try client.get(location.url) }
        guard (200..<300).contains(answer.status) else {
            throw SourceFetchError(url: location.url, problem: "HTTP \(answer.status)")
        }
        let source = try PungiComposeSource.parse(
            rpmsJSON: try JSONParser.parse(answer.body), variant: location.variant)
        // ODCS keeps "unsigned allowed" as a trailing space in sigkeys.
        let sigkeys =
            source.sigkeys.filter { !$0.isEmpty }.joined(separator: " ") + (source.sigkeys.contains("") ? " " : "")
        var resolved = compose
        resolved.builds = source.builds.joined(separator: " ")
        resolved.packages = source.packages.joined(separator: " ")
        resolved.arches = source.arches.joined(separator: " ")
        resolved.sigkeys = sigkeys
        try host.recordResolvedBuilds(
            builds: resolved.builds!, packages: resolved.packages!, arches: resolved.arches!, sigkeys: sigkeys)
        log.write("\(source.builds.count) builds, \(source.packages.count) packages from variant \(location.variant)")
        return try buildFromKoji(resolved, host: host, log: log)
    }

    /// A `pulp` compose: Pulp's repositories for the requested content sets and repo ids, as a `.repo` file only.
    @available(*, noasync, message: "blocks")
    func buildPulp(_ compose: Compose, host: any GenerationHost, log: GenerationLog) throws -> GenerationOutcome {
        guard let server = sources.pulpServerURL else { throw GenerationError("pulp_server_url is not configured") }
        let client = try makeClient(sources.pulpSSLCert, sources.pulpSSLKey, nil)
        var root = server
        while root.hasSuffix("/") { root.removeLast() }
        root += "/pulp/api/v2/"
        let tokens = compose.source.split(separator: " ").map(String.init)
        let unpublished = compose.flags.contains(.includeUnpublishedPulpRepos)
        log.write("Searching Pulp \(root) for \(tokens.joined(separator: ", "))")
        let search = try RemoteFetch.retrying(log: log) {
            try client.post(
                root + "repositories/search/",
                body: PulpSelection.searchBody(tokens: tokens, includeUnpublished: unpublished)
                    .serializedBytes(sortedKeys: false), contentType: "application/json")
        }
        guard (200..<300).contains(search.status) else {
            throw SourceFetchError(url: root + "repositories/search/", problem: "HTTP \(search.status)")
        }
        let selection = try PulpSelection.select(
            tokens: tokens, serverURL: server, searchResults: try JSONParser.parse(search.body),
            includeUnpublished: unpublished
        ) { id in
            let answer = try RemoteFetch.retrying(log: log) {
                try client.get(root + "repositories/\(percentEncodePath(id))/")
            }
            if answer.status == 404 {
                log.write("Pulp has no repository \(id)")
                return nil
            }
            guard (200..<300).contains(answer.status) else {
                throw SourceFetchError(
                    url: root + "repositories/\(percentEncodePath(id))/", problem: "HTTP \(answer.status)")
            }
            return try JSONParser.parse(answer.body)
        }
        var newSource: String?
        if !selection.missing.isEmpty {
            guard compose.flags.contains(.ignoreAbsentPulpRepos) else {
                throw GenerationError(selection.missingMessage(tokens: tokens))
            }
            newSource = selection.found.joined(separator: " ")
        }
        let name = "odcs-\(compose.id)"
        let writer = ComposeWriter(targetDir: compose.targetDir ?? service.targetDir, name: name)
        let arches: [String]
        if selection.repositories.isEmpty {
            arches = service.allowedArches
            _ = try writer.writeRepoFileOnly(
                repoFile: RepoFile.mainSection(name: name, resultRepoURL: service.resultRepoURL(name: name)),
                emptyRepositories: arches.map { "Temporary/\($0)/os" }, log: log)
        } else {
            arches = selection.arches
            _ = try writer.writeRepoFileOnly(
                repoFile: selection.repoFile(useOnlyCompatibleArch: compose.flags.contains(.useOnlyCompatibleArch)),
                emptyRepositories: [], log: log)
        }
        try host.recordResolvedSource(
            source: newSource, arches: arches.joined(separator: " "), sigkeys: selection.sigkeys.joined(separator: " "))
        log.write("\(selection.repositories.count) Pulp repositories")
        return .generated(pungiID: nil)
    }
}
