internal import Foundation
public import KilnConfiguration
public import KilnCore
internal import KilnCompose
internal import KilnHTTP
internal import KilnPlatform
public import KilnStore
public import Logging

/// `kiln generate`: takes waiting composes (any number of these may run, on any hosts), builds each into a hidden
/// staged tree, records it done, and only then places it at `<target_dir>/odcs-<id>` with its links. A generator
/// killed at any point leaves nothing served for a compose that is not done: the recovery places the staged tree of
/// a compose recorded done, and removes the trees and links of one it queues again (once) or fails. A database
/// restart is not a generator death: the generator reconnects, takes its compose back and records its own result.
public struct GenerateJob: Sendable {
    public let configuration: KilnConfiguration
    public let logger: Logger
    let worker: String

    public init(configuration: KilnConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        worker = "\(ProcessInfo.processInfo.hostName):\(getpid())"
    }

    var service: ServiceConfiguration { configuration.service }
    var logDirectory: String { service.targetDir + "/.logs" }

    func store(_ c: PGConnection) -> GenerationStore {
        GenerationStore(c, configuration: service, topicPrefix: configuration.messagingTopicPrefix)
    }

    /// Runs `workers` generators. With `once`, returns when nothing is left to do; otherwise waits for NOTIFY
    /// (or polls every `idleSeconds`) forever.
    @available(*, noasync, message: "blocks")
    public func run(workers: Int, once: Bool, idleSeconds: Int = 5) throws {
        let recovery = try PGConnection.connect(configuration.databaseURL)
        try recover(on: recovery)
        recovery.close()
        Parallel.run(threads: max(1, workers), stackSize: 4 << 20) { [self] index in
            self.workerLoop(index: index, once: once, idleSeconds: idleSeconds)
        }
    }

    /// The compose a worker's connection generates, so a reconnect can take its lock back.
    final class Claim {
        var id: Int64?
        /// The lock could not be taken back after a reconnect: someone else has the compose now.
        var lost = false
    }

    private func workerLoop(index: Int, once: Bool, idleSeconds: Int) {
        var log = logger
        log[metadataKey: "kiln.job.worker"] = "\(index)"
        var connection: PGConnection?
        var lastRecovery = Date()
        let claim = Claim()
        while true {
            do {
                if connection == nil || connection?.isOpen == false {
                    let c = try PGConnection.connect(configuration.databaseURL)
                    try c.execute("LISTEN kiln_compose_waiting")
                    c.reconnectSeconds = Double(configuration.operations.generatorReconnectSeconds)
                    c.onReconnect = { [self] c in
                        try c.execute("LISTEN kiln_compose_waiting")
                        guard let id = claim.id else { return }
                        if try !store(c).tryLock(id: id) { claim.lost = true }
                        log.warning("database connection re-established", metadata: [
                            "kiln.compose.id": "\(id)", "kiln.compose.lock_regained": "\(!claim.lost)",
                        ])
                    }
                    connection = c
                }
                let c = connection!
                if index == 0, Date().timeIntervalSince(lastRecovery) > 30 {
                    try recover(on: c)
                    lastRecovery = Date()
                }
                if let reason = try diskHold(on: c) {
                    if try ExpiryStore.holdWaiting(c, reason: reason) > 0 || once {
                        log.warning("not generating: low disk space", metadata: ["kiln.reason": "\(reason)"])
                    }
                    if once { return }
                    _ = try c.waitForNotification(timeoutMilliseconds: Int32(idleSeconds * 1000))
                    continue
                }
                if let compose = try store(c).claimNext(worker: worker) {
                    claim.id = compose.id
                    claim.lost = false
                    generate(compose, on: c, logger: log, claim: claim)
                    claim.id = nil
                    continue
                }
                if once { return }
                _ = try c.waitForNotification(timeoutMilliseconds: Int32(idleSeconds * 1000))
            } catch {
                log.error("generator error", metadata: ["kiln.error": "\(String(reflecting: error))"])
                connection?.close()
                connection = nil
                if once { return }
                sleep(2)
            }
        }
    }

    /// The disk-space guard: a `state_reason` for waiting composes while the compose volume's free space is below
    /// `disk_low_water`, nil when there is room. Composes wait rather than fail; they go on by themselves once
    /// space is back (`kiln expire --reclaim` makes some).
    @available(*, noasync, message: "blocks")
    func diskHold(on c: PGConnection) throws -> String? {
        guard let space = try configuration.diskSpace(on: c) else { return nil }
        let mark = configuration.operations.diskLowWater
        guard space.isBelow(mark) else { return nil }
        return "Waiting for disk space: free space on the compose volume is below the low-water mark (\(mark))"
    }

    /// Generates one claimed compose; never throws: every failure becomes the compose's `failed` state, except a
    /// broken database connection, after which the generator reconnects and starts the compose over (up to three
    /// times) if it still has it, and otherwise leaves it to whoever does.
    @available(*, noasync, message: "blocks")
    func generate(_ compose: Compose, on c: PGConnection, logger baseLogger: Logger, claim: Claim = Claim()) {
        var logger = baseLogger
        logger[metadataKey: "kiln.compose.id"] = "\(compose.id)"
        let name = "odcs-\(compose.id)"
        let log = GenerationLog(directory: logDirectory, name: name)
        let generations = store(c)
        defer { _ = try? generations.release(id: compose.id) }
        logger.info("generating compose")
        log.write("Generating compose \(compose.id) (\(compose.sourceType.name) \(compose.source)) on \(worker)")
        var restarts = 0
        while true {
            do {
                // Rows may predate the API's checks: the names that become paths are checked again here.
                try ComposeLinks.check(composeType: compose.composeType, label: compose.label)
                let outcome = try build(compose, on: c, log: log, logger: logger)
                try record(outcome, of: compose, on: c, log: log, logger: logger, claim: claim)
                return
            } catch let error as KilnStoreError where error.isConnectionFailure && restarts < 3 {
                restarts += 1
                logger.warning("database connection lost while generating", metadata: [
                    "kiln.error.detail": "\(String(reflecting: error))",
                ])
                removeTemporaries(name: name)
                guard stillGenerating(compose, on: c, claim: claim) else {
                    logger.warning("compose taken over by another generator after a database restart; leaving it")
                    return
                }
                log.write("The database connection was lost; generating the compose again")
            } catch {
                fail(compose, error: error, on: c, log: log, logger: logger, claim: claim)
                return
            }
        }
    }

    enum Outcome {
        case generated(pungiID: String?)
        case reused(Int64, finished: Bool)
    }

    @available(*, noasync, message: "blocks")
    func build(_ compose: Compose, on c: PGConnection, log: GenerationLog, logger: Logger) throws -> Outcome {
        let generations = store(c)
        switch compose.sourceType {
        case .repo: break
        case .pulp: return try buildPulp(compose, on: c, log: log)
        case .tag, .build: return try buildFromKoji(compose, on: c, log: log)
        case .pungiCompose: return try buildFromPungiCompose(compose, on: c, log: log)
        default:
            throw GenerationError("Source type \"\(compose.sourceType.name)\" is accepted but not generated by this Kiln version yet")
        }
        let policy = RepoSourcePolicy(roots: service.repoRoots, resolve: { Platform.realPath($0) })
        let sources = compose.source.split(separator: " ").map(String.init)
        guard sources.count == 1, let source = sources.first else { throw GenerationError("A repo compose takes exactly one repository") }
        // A repository given by URL is fetched first: its metadata for the solver, then the selected RPMs.
        let staging = ComposeWriter.workPath(targetDir: service.targetDir, name: "odcs-\(compose.id)", purpose: "download")
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var remote: RemoteRepository?
        let sourcePath: String
        if RepoSourcePolicy.isURL(source) {
            try generations.setProgress(id: compose.id, phase: "downloading metadata", done: 0, total: 1)
            let fetched = try RemoteRepository(
                url: source, policy: service.remoteSources, directory: staging, log: log,
                client: configuration.remoteClient(policy: service.remoteSources))
            remote = fetched
            sourcePath = staging
        } else {
            sourcePath = try policy.check(source)
        }
        let lookaside = try lookasideRepositories(compose, staging: staging, log: log)
        defer { for n in lookaside.indices { try? FileManager.default.removeItem(atPath: "\(staging)-lookaside-\(n)") } }
        return try gatherAndWrite(compose, on: c, log: log, sourcePath: sourcePath, lookaside: lookaside, remote: remote, event: nil)
    }

    /// The common part of every RPM compose: resolve per arch over a local repository (`sourcePath`), reuse an
    /// identical compose when allowed, otherwise place the RPMs and write the compose. `event` pins the source
    /// (Koji's event); nil takes the repository's repomd revision.
    @available(*, noasync, message: "blocks")
    func gatherAndWrite(
        _ compose: Compose, on c: PGConnection, log: GenerationLog, sourcePath: String, lookaside: [String], remote: RemoteRepository?,
        event pinnedEvent: Int64?, sigkeys: [String: String?] = [:], unacceptable: Set<String> = [], unacceptableMessage: String = "",
        reusable: (Compose) throws -> Bool = { _ in true }
    ) throws -> Outcome {
        let generations = store(c)
        let arches = (compose.arches ?? "x86_64").split(separator: " ").map(String.init)
        let packages = (compose.packages ?? "").split(separator: " ").map(String.init)

        // Resolve per arch.
        var placements: [ComposeWriter.Placement] = []
        var placed = Set<String>()
        var entries: [ProductmdMetadata.Entry] = []
        var revision: String?
        for (index, arch) in arches.enumerated() {
            try generations.setProgress(id: compose.id, phase: "resolving dependencies", done: index, total: arches.count)
            DrillPause.at("resolving")
            let solver = RepoSolver(arch: arch)
            try solver.addRepository(name: "source", path: sourcePath)
            for (n, path) in lookaside.enumerated() { try solver.addRepository(name: "lookaside-\(n)", path: path, lookaside: true) }
            revision = solver.revision(of: "source")
            let resolution = try solver.resolve(
                packages: packages, noDeps: compose.flags.contains(.noDeps), checkDeps: compose.flags.contains(.checkDeps))
            log.write("\(arch): \(resolution.selected.count) packages selected")
            for problem in resolution.problems { log.write("\(arch): dependency problem: \(problem)") }
            var selected = resolution.selected
            // Multilib: the compatible (32-bit) builds of what the method takes, with their dependencies, in this tree.
            let multilibArches = Set((compose.multilibArches ?? "").split(separator: " ").map(String.init))
            if multilibArches.contains(arch), !compose.multilibMethod.isEmpty, let compat = MultilibMethod.compatibleArch(of: arch) {
                let libraries = solver.sharedLibraryPackageNames()
                let wanted = Array(Set(selected.filter { $0.arch == arch }.map(\.name)
                    .filter { compose.multilibMethod.includes(name: $0, isSharedLibrary: libraries.contains($0)) })).sorted()
                let extra = try multilibPackages(wanted, compat: compat, source: sourcePath, lookaside: lookaside, noDeps: compose.flags.contains(.noDeps))
                log.write("\(arch): multilib adds \(extra.count) \(compat) packages")
                selected += extra.filter { !selected.contains($0) }
            }
            for package in selected {
                let isDebug = package.name.hasSuffix("-debuginfo") || package.name.hasSuffix("-debugsource")
                let tree = isDebug ? "Temporary/\(arch)/debug/tree" : "Temporary/\(arch)/os"
                let path = ComposeWriter.packagePath(tree: tree, fileName: package.fileName)
                if placed.insert(path).inserted {
                    placements.append(try Self.placement(of: package, root: sourcePath, at: path))
                }
                var sourceNEVRA = package.nevra
                if let srpmName = package.sourceRPM, let srpm = solver.sourcePackage(named: srpmName) {
                    sourceNEVRA = srpm.nevra
                    let srpmPath = ComposeWriter.packagePath(tree: "Temporary/source/tree", fileName: srpm.fileName)
                    if placed.insert(srpmPath).inserted {
                        placements.append(try Self.placement(of: srpm, root: sourcePath, at: srpmPath))
                    }
                    entries.append(.init(nevra: srpm.nevra, sourceNEVRA: srpm.nevra, path: srpmPath, sigkey: sigkeys[srpm.fileName] ?? nil,
                                         category: .source, arch: arch))
                }
                entries.append(.init(nevra: package.nevra, sourceNEVRA: sourceNEVRA, path: path, sigkey: sigkeys[package.fileName] ?? nil,
                                     category: isDebug ? .debug : .binary, arch: arch))
            }
        }
        entries = Array(Set(entries))
        let refused = placements.map { ($0.source as NSString).lastPathComponent }.filter(unacceptable.contains).sorted()
        if !refused.isEmpty {
            throw GenerationError("\(unacceptableMessage): \(refused.prefix(10).joined(separator: ", "))"
                + (refused.count > 10 ? " and \(refused.count - 10) more" : ""))
        }

        // The repository's revision pins it, as ODCS does with koji_event for repo composes.
        let event = pinnedEvent ?? revision.flatMap { Int64($0) }
        var pinned = compose
        pinned.kojiEvent = event ?? compose.kojiEvent
        if ReuseRule.allowsReuse(pinned) {
            for candidate in try generations.reuseCandidates(for: pinned) where ReuseRule.matches(pinned, candidate) {
                guard try reusable(candidate) else { continue }
                let reused = try c.withTransaction { t in
                    try GenerationStore(t, configuration: service, topicPrefix: configuration.messagingTopicPrefix).reuse(id: compose.id, of: candidate)
                }
                guard reused else { continue }
                return .reused(candidate.id, finished: candidate.state == .done)
            }
        }

        // A productmd id nobody has: the respin comes from compose tracking's counter (never handed out twice),
        // and is skipped past any id an older compose request already carries.
        let date = Self.utcDate()
        var composeID = ProductmdMetadata.composeID(composeNumber: compose.id, composeType: compose.composeType, date: date, respin: 0)
        let tracking = TrackingStore(c, topicPrefix: configuration.messagingTopicPrefix)
        repeat {
            let respin = try tracking.nextRespin(
                short: composeID.release.short, version: composeID.release.version, date: date, atLeast: composeID.respin)
            composeID = ProductmdMetadata.composeID(composeNumber: compose.id, composeType: compose.composeType, date: date, respin: respin)
        } while try generations.isPungiComposeIDTaken(composeID.description)
        try generations.record(id: compose.id, pungiComposeID: composeID.description, kojiEvent: event)
        try generations.markGenerating(id: compose.id)

        if let remote {
            try remote.download(placements.map { ($0.location, $0.size) }) { done, total in
                try? generations.setProgress(id: compose.id, phase: "downloading packages", done: done, total: total)
            }
        }

        let repositories = arches.flatMap { ["Temporary/\($0)/os", "Temporary/\($0)/debug/tree"] } + ["Temporary/source/tree"]
        let metadata = ProductmdMetadata(composeID: composeID, label: compose.label, releaseName: "odcs-\(compose.id)", arches: arches,
                                         entries: entries)
        let writer = ComposeWriter(targetDir: compose.targetDir ?? service.targetDir, name: "odcs-\(compose.id)")
        let repoFile = RepoFile.text(
            name: "odcs-\(compose.id)",
            resultRepoURL: service.isDefaultTargetDir(compose.targetDir) ? service.resultRepoURL(name: "odcs-\(compose.id)") : "")
        // The source's own metadata describes these very files (hard links or byte-identical downloads): filter it.
        let metadataSource = try? RepodataWriter.Source(repository: sourcePath)
        _ = try writer.write(
            placements: placements, repositories: repositories, metadata: metadata, repoFile: repoFile, log: log,
            metadataSource: metadataSource
        ) {
            phase, done, total in
            try? generations.setProgress(id: compose.id, phase: phase, done: done, total: total)
        }
        return .generated(pungiID: composeID.description)
    }

    /// Where a selected package is placed from: its repository's root and its location there, with the size and
    /// checksum its metadata declares. A location that leaves the repository, or one with its own `xml:base`
    /// (another directory or host), is refused: a compose holds only files of the repository itself.
    static func placement(of package: RepoPackage, root: String, at path: String) throws -> ComposeWriter.Placement {
        guard package.locationBase == nil, (try? RemoteURL.checkRelative(package.location)) != nil else {
            throw GenerationError("The repository's metadata places \(package.fileName) outside the repository")
        }
        return .init(
            root: root, location: package.location, relativePath: path, pkgid: package.checksum?.hex,
            checksumType: package.checksum?.type, size: package.size)
    }

    /// The compose's lookaside repositories as local directories (URLs are mirrored under `staging`-lookaside-N).
    @available(*, noasync, message: "blocks")
    func lookasideRepositories(_ compose: Compose, staging: String, log: GenerationLog) throws -> [String] {
        let policy = RepoSourcePolicy(
            roots: service.repoRoots, remote: service.remoteSources, resolve: { Platform.realPath($0) })
        return try (compose.lookasideRepos ?? "").split(separator: " ").enumerated().map { n, item -> String in
            let path = try policy.check(String(item))
            guard RepoSourcePolicy.isURL(path) else { return path }
            return try RemoteRepository(
                url: path, policy: service.remoteSources, directory: "\(staging)-lookaside-\(n)", log: log,
                client: configuration.remoteClient(policy: service.remoteSources)
            ).directory
        }
    }

    /// The `compat`-arch builds of `names` (those that exist), plus their dependencies unless `noDeps`.
    @available(*, noasync, message: "blocks")
    func multilibPackages(_ names: [String], compat: String, source: String, lookaside: [String], noDeps: Bool) throws -> [RepoPackage] {
        guard !names.isEmpty else { return [] }
        let solver = RepoSolver(arch: compat)
        try solver.addRepository(name: "source", path: source)
        for (n, path) in lookaside.enumerated() { try solver.addRepository(name: "lookaside-\(n)", path: path, lookaside: true) }
        // Names without a compat-arch build are dropped: ask once, learn which are missing, ask again without them.
        let wanted: [String]
        switch Result(catching: { () throws(SolverError) in try solver.resolve(packages: names, noDeps: true, checkDeps: false) }) {
        case .success:
            wanted = names
        case .failure(let error):
            guard error.code == .missingPackages else { throw error }
            let missing = Set(error.details)
            wanted = names.filter { !missing.contains($0) }
        }
        guard !wanted.isEmpty else { return [] }
        // Only real compat-arch builds count: noarch packages are in the tree already.
        return try solver.resolve(packages: wanted, noDeps: noDeps, checkDeps: false).selected.filter { $0.arch == compat }
    }

    /// A `tag` or `build` compose: the package set from Koji, then the common gather and write.
    @available(*, noasync, message: "blocks")
    func buildFromKoji(_ compose: Compose, on c: PGConnection, log: GenerationLog) throws -> Outcome {
        guard let hub = configuration.kojiHubURL, let top = configuration.kojiTopURL else {
            throw GenerationError("koji_hub_url and koji_top_url are not configured")
        }
        let client = try configuration.remoteClient()
        let koji = KojiClient(hubURL: hub, topURL: top, client: client)
        let staging = ComposeWriter.workPath(targetDir: service.targetDir, name: "odcs-\(compose.id)", purpose: "pkgset")
        try? FileManager.default.removeItem(atPath: staging)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let generations = store(c)
        try generations.setProgress(id: compose.id, phase: "gathering the Koji package set", done: 0, total: 0)
        let set = try KojiPackageSet(koji: koji, downloader: client, log: log).make(for: compose, into: staging) { done, total in
            try? generations.setProgress(id: compose.id, phase: "gathering the Koji package set", done: done, total: total)
        }
        let lookaside = try lookasideRepositories(compose, staging: staging, log: log)
        defer { for n in lookaside.indices { try? FileManager.default.removeItem(atPath: "\(staging)-lookaside-\(n)") } }
        // A tag compose may reuse an older one pinned at the same event, or one whose tag (and what it inherits) did
        // not change since its event.
        return try gatherAndWrite(
            compose, on: c, log: log, sourcePath: staging, lookaside: lookaside, remote: nil, event: set.event, sigkeys: set.sigkeys,
            unacceptable: set.unacceptable, unacceptableMessage: set.unacceptableMessage
        ) { candidate in
            guard compose.sourceType == .tag, let since = candidate.kojiEvent, since != set.event else { return true }
            return try !koji.tagChangedSinceEvent(since, tags: set.tagIDs)
        }
    }

    /// A `pungi_compose` compose: the builds and packages of an existing compose's variant, then as a `build` compose.
    @available(*, noasync, message: "blocks")
    func buildFromPungiCompose(_ compose: Compose, on c: PGConnection, log: GenerationLog) throws -> Outcome {
        // The variant URL is parsed and allowed (no query, fragment or dot segment), and so is the rpms.json URL
        // built from it.
        let variantURL = try service.remoteSources.check(compose.source)
        guard let location = PungiComposeSource.metadataURL(variantURL: variantURL.description),
            let metadataURL = try? RemoteURL(parsing: location.url), service.remoteSources.allows(metadataURL)
        else {
            throw GenerationError("A pungi_compose source must be the http(s) URL of a compose variant (…/compose/<Variant>)")
        }
        let client = try configuration.remoteClient(policy: service.remoteSources)
        log.write("Reading \(location.url)")
        let answer = try RemoteFetch.retrying(log: log) { try client.get(location.url) }
        guard (200..<300).contains(answer.status) else {
            throw SourceFetchError(url: location.url, problem: "HTTP \(answer.status)")
        }
        let source = try PungiComposeSource.parse(rpmsJSON: try JSONParser.parse(answer.body), variant: location.variant)
        // ODCS keeps "unsigned allowed" as a trailing space in sigkeys.
        let sigkeys = source.sigkeys.filter { !$0.isEmpty }.joined(separator: " ") + (source.sigkeys.contains("") ? " " : "")
        var resolved = compose
        resolved.builds = source.builds.joined(separator: " ")
        resolved.packages = source.packages.joined(separator: " ")
        resolved.arches = source.arches.joined(separator: " ")
        resolved.sigkeys = sigkeys
        try store(c).recordResolvedBuilds(
            id: compose.id, builds: resolved.builds!, packages: resolved.packages!, arches: resolved.arches!, sigkeys: sigkeys)
        log.write("\(source.builds.count) builds, \(source.packages.count) packages from variant \(location.variant)")
        return try buildFromKoji(resolved, on: c, log: log)
    }

    /// A `pulp` compose: Pulp's repositories for the requested content sets and repo ids, as a `.repo` file only.
    @available(*, noasync, message: "blocks")
    func buildPulp(_ compose: Compose, on c: PGConnection, log: GenerationLog) throws -> Outcome {
        guard let server = configuration.pulpServerURL else { throw GenerationError("pulp_server_url is not configured") }
        let client = try configuration.remoteClient(
            certificate: configuration.pulpSSLCert, key: configuration.pulpSSLKey)
        var root = server
        while root.hasSuffix("/") { root.removeLast() }
        root += "/pulp/api/v2/"
        let tokens = compose.source.split(separator: " ").map(String.init)
        let unpublished = compose.flags.contains(.includeUnpublishedPulpRepos)
        log.write("Searching Pulp \(root) for \(tokens.joined(separator: ", "))")
        let search = try RemoteFetch.retrying(log: log) {
            try client.post(root + "repositories/search/", body: PulpSelection.searchBody(tokens: tokens, includeUnpublished: unpublished)
                .serializedBytes(sortedKeys: false), contentType: "application/json")
        }
        guard (200..<300).contains(search.status) else {
            throw SourceFetchError(url: root + "repositories/search/", problem: "HTTP \(search.status)")
        }
        let selection = try PulpSelection.select(
            tokens: tokens, serverURL: server, searchResults: try JSONParser.parse(search.body), includeUnpublished: unpublished
        ) { id in
            let answer = try RemoteFetch.retrying(log: log) { try client.get(root + "repositories/\(percentEncodePath(id))/") }
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
            guard compose.flags.contains(.ignoreAbsentPulpRepos) else { throw GenerationError(selection.missingMessage(tokens: tokens)) }
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
        try store(c).recordResolvedSource(
            id: compose.id, source: newSource, arches: arches.joined(separator: " "), sigkeys: selection.sigkeys.joined(separator: " "))
        log.write("\(selection.repositories.count) Pulp repositories")
        return .generated(pungiID: nil)
    }

    static func utcDate() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date())
    }
}
