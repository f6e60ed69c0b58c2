internal import Foundation
public import KilnCore
public import KilnHTTP

/// The RPMs a `tag` or `build` compose starts from, gathered from Koji into a local repository the solver can read:
/// the tag's latest builds at the pinned event (with inheritance unless `no_inheritance`), plus the compose's
/// `builds` and the RPMs of its `scratch_build_tasks`; each tagged or built RPM in the first signed copy the
/// compose's `sigkeys` prefer (unsigned only when `""` is listed or no keys are), linked from Koji's top directory
/// or downloaded from its URL.
public struct KojiPackageSet {
    let koji: KojiClient
    let downloader: HTTPClient
    let log: GenerationLog

    public init(koji: KojiClient, downloader: HTTPClient, log: GenerationLog) {
        self.koji = koji
        self.downloader = downloader
        self.log = log
    }

    public struct Result {
        public var event: Int64
        /// The tag and the tags it inherits from, for `tagChangedSinceEvent`.
        public var tagIDs: [Int64]
        /// RPM file name → the signature key of the copy used (nil: unsigned).
        public var sigkeys: [String: String?]
        /// RPM file names with no acceptable copy: the compose fails if one of them is selected.
        public var unacceptable: Set<String>
        public var unacceptableMessage: String
        /// The RPM file names of the compose's modules: all of them are in the compose, whatever is solved.
        public var moduleFiles: Set<String> = []
    }

    @available(*, noasync, message: "blocks")
    public func make(
        for compose: Compose, modules: [ModuleBuild] = [], into directory: String, progress: (Int, Int) -> Void
    ) throws -> Result {
        let event = try compose.kojiEvent ?? koji.getLastEvent().id
        var entries: [(rpm: KojiRPM, build: KojiBuild, sigs: Set<String>)] = []
        var tagIDs: [Int64] = []
        if compose.sourceType == .tag {
            guard let tag = try koji.getTag(compose.source, event: event) else {
                throw GenerationError("Unknown Koji tag \"\(compose.source)\"")
            }
            let inherit = !compose.flags.contains(.noInheritance)
            tagIDs = [tag.id] + (inherit ? try koji.getFullInheritance(tag.id, event: event).map(\.parentID) : [])
            let listed = try koji.listTaggedRPMS(
                compose.source, event: event, inherit: inherit, latest: true, rpmsigs: true)
            let builds = Dictionary(listed.builds.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var byID: [Int64: (KojiRPM, KojiBuild, Set<String>)] = [:]
            for rpm in listed.rpms {
                guard let build = builds[rpm.buildID] else { continue }
                var entry = byID[rpm.id] ?? (rpm, build, [])
                if let key = rpm.sigkey { entry.2.insert(key.lowercased()) }
                byID[rpm.id] = entry
            }
            entries = byID.values.sorted { $0.0.id < $1.0.id }.map { ($0.0, $0.1, $0.2) }
            log.write("Koji tag \(tag.name) at event \(event): \(listed.builds.count) builds, \(entries.count) RPMs")
        }
        var included = Set(entries.map(\.rpm.id))
        for nvr in (compose.builds ?? "").split(separator: " ").map(String.init) {
            guard let build = try koji.getBuild(nvr) else { throw GenerationError("Unknown Koji build \(nvr)") }
            for rpm in try koji.listBuildRPMs(build.id) where included.insert(rpm.id).inserted {
                entries.append((rpm, build, Set(try koji.queryRPMSigs(rpmID: rpm.id).map { $0.lowercased() })))
            }
            log.write("Koji build \(nvr) added")
        }
        let moduleEntries = try moduleEntries(modules, event: event).filter { included.insert($0.rpm.id).inserted }
        var result = try place(
            entries + moduleEntries, event: event, tagIDs: tagIDs, for: compose, into: directory, progress: progress)
        result.moduleFiles = Set(moduleEntries.map(\.rpm.filename))
        return result
    }

    /// Puts `entries` (RPMs with their build and the keys Koji has signatures of) in `directory` and makes it a
    /// repository, choosing each RPM's copy by the compose's signing keys and adding its scratch builds.
    @available(*, noasync, message: "blocks")
    func place(
        _ entries: [(rpm: KojiRPM, build: KojiBuild, sigs: Set<String>)], event: Int64, tagIDs: [Int64],
        for compose: Compose, into directory: String, progress: (Int, Int) -> Void
    ) throws -> Result {
        // Signature preference: the compose's keys in order; "" (or no keys at all) allows unsigned copies. Each RPM
        // takes the first acceptable copy that exists; one with none is still put in the package set (unsigned) so
        // the solver sees it, and the compose fails only if such an RPM is selected.
        let preference = (compose.sigkeys ?? "").split(separator: " ", omittingEmptySubsequences: false).map {
            $0.lowercased()
        }
        let keys = preference.filter { !$0.isEmpty }
        let unsignedAllowed = keys.isEmpty || preference.contains("")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var sigkeys: [String: String?] = [:]
        var unacceptable = Set<String>()
        let isLocal = !RepoSourcePolicy.isURL(koji.topURL)
        for (index, entry) in entries.enumerated() {
            let candidates: [String?] =
                keys.filter(entry.sigs.contains).map { Optional($0) } + (unsignedAllowed ? [nil] : [])
            let destination = directory + "/" + entry.rpm.filename
            var placed = false
            for key in candidates where !placed {
                let source =
                    key.map { koji.signedRPMPath(build: entry.build, rpm: entry.rpm, sigkey: $0) }
                    ?? koji.rpmPath(build: entry.build, rpm: entry.rpm)
                placed = fetch(source, to: destination, local: isLocal)
                if placed { sigkeys[entry.rpm.filename] = key }
            }
            if !placed {
                unacceptable.insert(entry.rpm.filename)
                placed = fetch(koji.rpmPath(build: entry.build, rpm: entry.rpm), to: destination, local: isLocal)
            }
            if index % 20 == 0 || index == entries.count - 1 { progress(index + 1, entries.count) }
        }
        let scratchTasks = (compose.scratchBuildTasks ?? "").split(separator: " ").compactMap { Int64($0) }
        for name in try placeScratchBuilds(scratchTasks, into: directory, local: isLocal) {
            sigkeys[name] = .some(nil)
            unacceptable.remove(name)
        }
        let createrepo = Process()
        createrepo.executableURL = URL(fileURLWithPath: "/usr/bin/createrepo_c")
        createrepo.arguments = ["--quiet", "--no-database", "--general-compress-type=gz", directory]
        try createrepo.run()
        createrepo.waitUntilExit()
        guard createrepo.terminationStatus == 0 else {
            throw GenerationError("createrepo_c failed over the Koji package set")
        }
        let message = "RPMs not signed with any of the keys \(keys.joined(separator: ", "))"
        return Result(
            event: event, tagIDs: tagIDs, sigkeys: sigkeys, unacceptable: unacceptable, unacceptableMessage: message)
    }

    /// Links (or copies) a file from a local top directory, or downloads it; false when it is not there.
    @available(*, noasync, message: "blocks")
    func fetch(_ source: String, to destination: String, local: Bool) -> Bool {
        if local {
            guard FileManager.default.fileExists(atPath: source) else { return false }
            if link(source, destination) == 0 { return true }
            return (try? FileManager.default.copyItem(atPath: source, toPath: destination)) != nil
        }
        do {
            try downloader.download(source, to: destination)
            return true
        } catch {
            return false
        }
    }
}
