internal import CSolv
internal import KilnCore

#if canImport(Glibc)
    internal import Glibc
#endif

/// Decides which RPMs a compose contains, with libsolv: loads yum repositories (`repodata/repomd.xml`) into one pool
/// for one architecture, picks the requested packages and, unless told not to, their dependency closure.
///
/// Not Sendable: the pool is used from one thread. Loading and solving block on disk and CPU, so every method is
/// `noasync`; call them from a dedicated thread.
///
/// Selection rules:
/// - A requested name is matched against package names (not Provides) of an arch the pool's arch accepts
///   (`x86_64` also takes `noarch`, `i686`, ...; source packages never). Among the candidates libsolv's policy picks
///   one: best arch, then highest epoch:version-release in rpm order.
/// - An empty request means every binary package of the non-lookaside repositories, but only the latest
///   version-release of each name and arch, as Pungi gathers by default.
/// - Lookaside repositories satisfy dependencies but never contribute to `Resolution.selected`. A requested name whose
///   best candidate lives in a lookaside repository counts as present but is not selected, and a package whose exact
///   name, epoch:version-release and arch also exist in a lookaside repository is left to the lookaside copy.
/// - Recommends are ignored: the closure follows Requires only.
public final class RepoSolver {
    private struct LoadedRepo {
        var name: String
        var repo: UnsafeMutablePointer<Repo>
        var lookaside: Bool
        var revision: String?
    }

    /// The architecture the pool was created for.
    public let arch: String
    private let pool: UnsafeMutablePointer<Pool>
    private var repos: [LoadedRepo] = []
    /// `pool_addfileprovides` + `pool_createwhatprovides` must run again after a repository is added.
    private var whatprovidesReady = false
    /// Source packages of the non-lookaside repositories by file name; built on first use.
    private var sourceIndex: [String: Id]?

    /// A pool for `arch` (e.g. `x86_64`, `aarch64`), using rpm version semantics.
    public init(arch: String) {
        self.arch = arch
        pool = pool_create()
        // Debian's libsolv is built with several dist types and defaults to Debian version comparison.
        pool_setdisttype(pool, CSolv_DISTTYPE_RPM)
        pool_setarch(pool, arch)
    }

    deinit {
        pool_free(pool)
    }

    // MARK: - Loading

    /// Loads the yum repository in the local directory `path` (the directory that holds `repodata/repomd.xml`): its
    /// `primary` metadata and, when listed, `filelists` (so file requires like `/usr/share/x/y` resolve).
    /// Compressed metadata (`.gz`, `.xz`, `.zst`, `.bz2`) is read through `solv_xfopen`.
    ///
    /// - Parameter lookaside: the repository only satisfies dependencies; its packages are never selected.
    @available(*, noasync, message: "reads repository metadata from disk; call from a dedicated thread")
    public func addRepository(name: String, path: String, lookaside: Bool = false) throws(SolverError) {
        guard !repos.contains(where: { $0.name == name }) else {
            throw SolverError(.repositoryUnreadable, "Repository \(name) was already added")
        }
        let root = path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let repo = repo_create(pool, name) else {
            throw SolverError(.repositoryUnreadable, "Repository \(name): out of memory")
        }
        var loaded = false
        defer { if !loaded { repo_free(repo, 1) } }

        try load(name: name, file: root + "/repodata/repomd.xml", compressed: false) { file in
            repo_add_repomdxml(repo, file, CSolv_REPO_NO_INTERNALIZE)
        }
        repo_internalize(repo)
        let revision = repo_lookup_str(repo, CSolv_SOLVID_META, known(REPOSITORY_REVISION)).map { String(cString: $0) }
        guard let primary = CSolv_repomd_location(repo, "primary").map({ String(cString: $0) }) else {
            throw SolverError(.repositoryUnreadable, "Repository \(name): repomd.xml lists no primary metadata")
        }
        let filelists = CSolv_repomd_location(repo, "filelists").map { String(cString: $0) }
        // Metadata is read from inside the repository only.
        for href in [primary] + (filelists.map { [$0] } ?? []) where (try? RemoteURL.checkRelative(href)) == nil {
            throw SolverError(
                .repositoryUnreadable, "Repository \(name): repomd.xml names metadata outside the repository")
        }

        try load(name: name, file: root + "/" + primary, compressed: true) { file in
            // Internalized at once: extending with filelists looks the packages up by their (internalized) checksum.
            repo_add_rpmmd(repo, file, nil, 0)
        }
        if let filelists {
            // Filelists entries are matched to the primary's packages by pkgid and extend those solvables.
            try load(name: name, file: root + "/" + filelists, compressed: true) { file in
                repo_add_rpmmd(repo, file, nil, CSolv_REPO_EXTEND_SOLVABLES | CSolv_REPO_NO_INTERNALIZE)
            }
        }
        repo_internalize(repo)

        loaded = true
        repos.append(LoadedRepo(name: name, repo: repo, lookaside: lookaside, revision: revision))
        whatprovidesReady = false
        sourceIndex = nil
    }

    /// The `<revision>` of the repository's repomd.xml, nil when it has none or no such repository was added.
    public func revision(of name: String) -> String? {
        repos.first(where: { $0.name == name })?.revision
    }

    /// Names of the added repositories, in the order they were added.
    public var repositoryNames: [String] { repos.map(\.name) }

    /// Opens `file` (decompressing by suffix when `compressed`) and hands the stream to a libsolv reader.
    private func load(
        name: String, file: String, compressed: Bool, _ read: (UnsafeMutablePointer<FILE>) -> Int32
    ) throws(SolverError) {
        let opened = compressed ? solv_xfopen(file, "r") : fopen(file, "r")
        guard let stream = opened else {
            let reason = String(cString: strerror(errno))
            throw SolverError(.repositoryUnreadable, "Repository \(name): cannot open \(file): \(reason)")
        }
        defer { fclose(stream) }
        if read(stream) != 0 {
            let reason = String(cString: pool_errstr(pool))
            throw SolverError(.repositoryUnreadable, "Repository \(name): cannot parse \(file): \(reason)")
        }
    }

    // MARK: - Resolving

    /// Resolves `packages` (package names) to the binary RPMs a compose contains.
    ///
    /// - Parameters:
    ///   - packages: names to include; empty means every binary package of the non-lookaside repositories (latest
    ///     version-release per name and arch).
    ///   - noDeps: include only the requested packages, without their dependencies.
    ///   - checkDeps: fail with `.brokenDependencies` when a dependency cannot be satisfied. When false, the
    ///     requested packages and every dependency that can be satisfied are returned, and the problems are
    ///     listed in `Resolution.problems`.
    /// - Throws: `.missingPackages` when a requested name matches nothing (all missing names, sorted);
    ///   `.brokenDependencies` as above.
    @available(*, noasync, message: "libsolv solving is CPU-bound and blocking; call from a dedicated thread")
    public func resolve(packages: [String], noDeps: Bool, checkDeps: Bool) throws(SolverError) -> Resolution {
        prepareWhatprovides()
        if packages.isEmpty {
            return try resolveAll(noDeps: noDeps, checkDeps: checkDeps)
        }

        var missing: Set<String> = []
        var requested: [Id] = []
        for name in Set(packages).sorted() {
            guard let best = bestCandidate(named: name) else {
                missing.insert(name)
                continue
            }
            // A lookaside repository provides it: present, but not part of the compose.
            if !isLookaside(best) { requested.append(best) }
        }
        if !missing.isEmpty {
            let names = missing.sorted()
            throw SolverError(.missingPackages, "Missing packages: " + names.joined(separator: ", "), details: names)
        }
        if noDeps || requested.isEmpty {
            return Resolution(selected: selectedPackages(requested), problems: [])
        }

        let attempt = solve(installing: requested.map { (CSolv_SOLVER_INSTALL_SOLVABLE, $0) })
        switch attempt {
        case .solved(let installs):
            return Resolution(selected: selectedPackages(installs), problems: [])
        case .problems(let problems):
            if checkDeps {
                throw SolverError(
                    .brokenDependencies, "Broken dependencies: " + problems.joined(separator: "; "), details: problems)
            }
            var closure = BestEffortClosure()
            for p in requested { expand(p, into: &closure) }
            return Resolution(selected: selectedPackages(closure.included), problems: problems)
        }
    }

    /// Every binary package of the non-lookaside repositories, latest version-release per name and arch. Their
    /// dependencies must lie inside the repositories; with `checkDeps` (or to report them otherwise) each Requires
    /// is checked for a provider, like a repoclosure.
    private func resolveAll(noDeps: Bool, checkDeps: Bool) throws(SolverError) -> Resolution {
        struct NameArch: Hashable {
            var name: Id
            var arch: Id
        }
        var latest: [NameArch: Id] = [:]
        for loaded in repos where !loaded.lookaside {
            var ids = SolvQueue()
            CSolv_repo_solvables(loaded.repo, &ids.raw)
            for p in ids.ids where CSolv_solvable_installable(pool, p) != 0 {
                let key = NameArch(name: CSolv_solvable_name(pool, p), arch: CSolv_solvable_arch(pool, p))
                if let current = latest[key],
                    pool_evrcmp(pool, CSolv_solvable_evr(pool, current), CSolv_solvable_evr(pool, p), EVRCMP_COMPARE)
                        >= 0
                {
                    continue
                }
                latest[key] = p
            }
        }
        let chosen = Array(latest.values)
        let problems = noDeps ? [] : unprovidedRequires(of: chosen)
        if checkDeps && !problems.isEmpty {
            throw SolverError(
                .brokenDependencies, "Broken dependencies: " + problems.joined(separator: "; "), details: problems)
        }
        return Resolution(selected: selectedPackages(chosen), problems: problems)
    }

    /// Every installable package of the (non-lookaside) repositories, every version of it: a module compose keeps
    /// all of its modules' RPMs, and two streams may ship two versions of one package.
    public func everyPackage() -> [RepoPackage] {
        var chosen: [Id] = []
        for loaded in repos where !loaded.lookaside {
            var ids = SolvQueue()
            CSolv_repo_solvables(loaded.repo, &ids.raw)
            chosen += ids.ids.filter { CSolv_solvable_installable(pool, $0) != 0 }
        }
        return selectedPackages(chosen)
    }

    /// `nothing provides DEP needed by NEVRA` for every Requires of `solvables` without an installable provider.
    private func unprovidedRequires(of solvables: [Id]) -> [String] {
        var problems: Set<String> = []
        for p in solvables {
            for dep in requires(of: p) where providers(of: dep).isEmpty {
                let depText = String(cString: pool_dep2str(pool, dep))
                if depText.hasPrefix("rpmlib(") { continue }
                problems.insert("nothing provides \(depText) needed by \(String(cString: pool_solvid2str(pool, p)))")
            }
        }
        return problems.sorted()
    }

    /// The requested name's best installable candidate in any repository, by libsolv's policy; nil when none.
    private func bestCandidate(named name: String) -> Id? {
        let nameId = pool_str2id(pool, name, 0)
        guard nameId != 0 else { return nil }
        var candidates = SolvQueue(providers(of: nameId).filter { CSolv_solvable_name(pool, $0) == nameId })
        guard candidates.count > 0 else { return nil }
        pool_best_solvables(pool, &candidates.raw, 0)
        return candidates.ids.first
    }

    private enum SolveOutcome {
        case solved([Id])
        case problems([String])
    }

    /// Runs one solver over an empty installed set with the given (how, what) install jobs. On success returns
    /// every solvable the solver decided to install.
    private func solve(installing jobs: [(Int32, Id)]) -> SolveOutcome {
        var jobQueue = SolvQueue()
        for (how, what) in jobs {
            jobQueue.push(Id(how))
            jobQueue.push(what)
        }
        let solver = SolverHandle(pool: pool)
        solver_set_flag(solver.raw, CSolv_SOLVER_FLAG_IGNORE_RECOMMENDED, 1)
        let problemCount = solver_solve(solver.raw, &jobQueue.raw)
        if problemCount > 0 {
            var problems: [String] = []
            for problem in 1...Id(problemCount) {
                problems.append(String(cString: solver_problem2str(solver.raw, problem)))
            }
            return .problems(problems)
        }
        var decisions = SolvQueue()
        solver_get_decisionqueue(solver.raw, &decisions.raw)
        // Positive decisions are installs (nothing is installed, so there are no removals); skip the system solvable.
        return .solved(decisions.ids.filter { $0 > CSolv_SYSTEMSOLVABLE })
    }

    /// Packages gathered without a full solution: each solvable is expanded at most once.
    private struct BestEffortClosure {
        var included: Set<Id> = []
        var expanded: Set<Id> = []
    }

    /// Adds `p` and as much of its dependency closure as can be satisfied. When `p` installs cleanly its whole
    /// solution is taken; otherwise each Requires is tried on its own and unsatisfiable ones are skipped.
    private func expand(_ p: Id, into closure: inout BestEffortClosure) {
        guard closure.expanded.insert(p).inserted else { return }
        closure.included.insert(p)
        if case .solved(let installs) = solve(installing: [(CSolv_SOLVER_INSTALL_SOLVABLE, p)]) {
            closure.included.formUnion(installs)
            closure.expanded.formUnion(installs)
            return
        }
        for dep in requires(of: p) {
            if case .solved(let installs) = solve(installing: [(CSolv_SOLVER_INSTALL_PROVIDES, dep)]) {
                closure.included.formUnion(installs)
                closure.expanded.formUnion(installs)
                continue
            }
            var candidates = SolvQueue(providers(of: dep))
            guard candidates.count > 0 else { continue } // nothing provides it: already a listed problem
            pool_best_solvables(pool, &candidates.raw, 0)
            if let best = candidates.ids.first { expand(best, into: &closure) }
        }
    }

    // MARK: - Source packages

    /// The source RPM whose file name is `fileName` (as in `RepoPackage.sourceRPM`) in a non-lookaside repository.
    @available(*, noasync, message: "may index the pool; call from a dedicated thread")
    public func sourcePackage(named fileName: String) -> RepoPackage? {
        if sourceIndex == nil {
            var index: [String: Id] = [:]
            for loaded in repos where !loaded.lookaside {
                var ids = SolvQueue()
                CSolv_repo_solvables(loaded.repo, &ids.raw)
                for p in ids.ids {
                    let archName = string(CSolv_solvable_arch(pool, p))
                    guard archName == "src" || archName == "nosrc" else { continue }
                    let file = package(p).fileName
                    if index[file] == nil { index[file] = p }
                }
            }
            sourceIndex = index
        }
        return sourceIndex?[fileName].map { package($0) }
    }

    /// Names of the binary packages of the non-lookaside repositories that provide a shared library soname
    /// (`libfoo.so.1`, `libfoo.so.1()(64bit)`): what the `runtime` multilib method takes.
    public func sharedLibraryPackageNames() -> Set<String> {
        var names = Set<String>()
        for loaded in repos where !loaded.lookaside {
            var ids = SolvQueue()
            CSolv_repo_solvables(loaded.repo, &ids.raw)
            for p in ids.ids {
                var provides = SolvQueue()
                solvable_lookup_deparray(pool_id2solvable(pool, p), known(SOLVABLE_PROVIDES), &provides.raw, 0)
                let isLibrary = provides.ids.contains { dep in
                    let text = String(cString: pool_dep2str(pool, dep))
                    return text.hasPrefix("lib") && text.contains(".so")
                }
                if isLibrary { names.insert(string(CSolv_solvable_name(pool, p))) }
            }
        }
        return names
    }

    // MARK: - Pool access

    private func prepareWhatprovides() {
        guard !whatprovidesReady else { return }
        // File requires (e.g. /bin/sh) are provided by file lists; this indexes the files that something requires.
        pool_addfileprovides(pool)
        pool_createwhatprovides(pool)
        whatprovidesReady = true
    }

    private func providers(of dep: Id) -> [Id] {
        var found = SolvQueue()
        CSolv_whatprovides(pool, dep, &found.raw)
        return found.ids
    }

    private func requires(of p: Id) -> [Id] {
        var deps = SolvQueue()
        solvable_lookup_deparray(pool_id2solvable(pool, p), known(SOLVABLE_REQUIRES), &deps.raw, 0)
        return deps.ids.filter { $0 != known(SOLVABLE_PREREQMARKER) }
    }

    private func repo(of p: Id) -> LoadedRepo? {
        guard let repo = CSolv_solvable_repo(pool, p) else { return nil }
        return repos.first(where: { $0.repo == repo })
    }

    private func isLookaside(_ p: Id) -> Bool { repo(of: p)?.lookaside ?? false }

    /// Binary packages from non-lookaside repositories, minus those whose NEVRA a lookaside repository also has,
    /// sorted by NEVRA.
    private func selectedPackages(_ solvables: some Sequence<Id>) -> [RepoPackage] {
        func nevra(_ p: Id) -> NEVRA {
            NEVRA(
                name: CSolv_solvable_name(pool, p), evr: CSolv_solvable_evr(pool, p), arch: CSolv_solvable_arch(pool, p)
            )
        }
        var inLookaside: Set<NEVRA> = []
        for loaded in repos where loaded.lookaside {
            var ids = SolvQueue()
            CSolv_repo_solvables(loaded.repo, &ids.raw)
            for p in ids.ids { inLookaside.insert(nevra(p)) }
        }
        var seen: Set<Id> = []
        var packages: [RepoPackage] = []
        for p in solvables where p > CSolv_SYSTEMSOLVABLE && seen.insert(p).inserted {
            guard let loaded = repo(of: p), !loaded.lookaside, !inLookaside.contains(nevra(p)) else { continue }
            let package = package(p)
            if !package.isSource { packages.append(package) }
        }
        return packages.sorted { $0.nevra < $1.nevra }
    }

    private func package(_ p: Id) -> RepoPackage {
        let solvable = pool_id2solvable(pool, p)
        let evr = RPMVersion(parsing: string(CSolv_solvable_evr(pool, p)))
        let archName = string(CSolv_solvable_arch(pool, p))
        let location = solvable_lookup_location(solvable, nil).map { String(cString: $0) } ?? ""
        var checksumType: Id = 0
        let checksum = solvable_lookup_checksum(solvable, known(SOLVABLE_CHECKSUM), &checksumType).map { hex in
            RepoPackage.Checksum(
                type: solv_chksum_type2str(checksumType).map { String(cString: $0) } ?? "unknown",
                hex: String(cString: hex))
        }
        let isSource = archName == "src" || archName == "nosrc"
        let size = solvable_lookup_num(solvable, known(SOLVABLE_DOWNLOADSIZE), 0)
        return RepoPackage(
            name: string(CSolv_solvable_name(pool, p)),
            epoch: evr.epoch.flatMap { Int($0) } ?? 0,
            version: evr.version,
            release: evr.release ?? "",
            arch: archName,
            location: location,
            checksum: checksum,
            size: size > 0 && size < 1 << 50 ? Int64(size) : nil,
            locationBase: solvable_lookup_str(solvable, known(SOLVABLE_MEDIABASE)).map { String(cString: $0) },
            sourceRPM: isSource ? nil : solvable_lookup_sourcepkg(solvable).map { String(cString: $0) },
            repository: repo(of: p)?.name ?? ""
        )
    }

    private func string(_ id: Id) -> String { String(cString: pool_id2str(pool, id)) }
}

/// A package's identity in the pool: name, epoch:version-release and arch ids.
private struct NEVRA: Hashable {
    var name: Id
    var evr: Id
    var arch: Id
}

/// A `solv_knownid` constant as the `Id` libsolv functions take.
private func known(_ id: solv_knownid) -> Id { Id(id.rawValue) }

/// One libsolv solver run; freed with the handle.
private final class SolverHandle {
    let raw: UnsafeMutablePointer<Solver>

    init(pool: UnsafeMutablePointer<Pool>) { raw = solver_create(pool) }

    deinit { solver_free(raw) }
}
