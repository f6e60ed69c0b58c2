/// How a module compose's `source` becomes complete module builds, as ODCS resolves it through the Module Build
/// Service: each requested `n:s[:v[:c]]` becomes every context of its latest version in an allowed state, then (unless
/// `no_deps`) the modules those require at run time are added the same way until nothing new is required. Base
/// modules (`platform`, ...) are never added: the compose is installed on top of them. Two versions of one
/// `name:stream` conflict. The lookup (an MBS query, or a Koji tag listing) is passed in, so this stays pure.
public enum ModuleResolution {
    /// One question to the build service: builds of `name` (and `stream`, `version`, `context` when given) in one of
    /// `states`, plus the base-module filters of the request.
    public struct Query: Sendable, Hashable {
        public var name: String
        public var stream: String?
        public var version: Int64?
        public var context: String?
        public var states: [String]
        public var baseModuleBRName: String?
        public var baseModuleBRStream: String?
        public var baseModuleBRStreamVersionLTE: Int64?
        public var baseModuleBRStreamVersionGTE: Int64?

        public init(
            name: String, stream: String? = nil, version: Int64? = nil, context: String? = nil, states: [String]
        ) {
            self.name = name
            self.stream = stream
            self.version = version
            self.context = context
            self.states = states
        }
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible, UserFacingError {
        public var description: String
        public init(_ description: String) { self.description = description }
        public var userMessage: String { description }
    }

    /// The states a build may be in: `ready` only, `done` too with `include_done_modules` or for a complete N:S:V:C.
    public static func states(for spec: ModuleSpec, includeDone: Bool) -> [String] {
        includeDone || spec.isComplete ? ["ready", "done"] : ["ready"]
    }

    public static func query(for spec: ModuleSpec, includeDone: Bool, compose: Compose? = nil) -> Query {
        var query = Query(
            name: spec.name, stream: spec.stream, version: spec.version, context: spec.context,
            states: states(for: spec, includeDone: includeDone))
        if let compose {
            query.baseModuleBRName = compose.baseModuleBRName
            query.baseModuleBRStream = compose.baseModuleBRStream
            query.baseModuleBRStreamVersionLTE = compose.baseModuleBRStreamVersionLTE
            query.baseModuleBRStreamVersionGTE = compose.baseModuleBRStreamVersionGTE
        }
        return query
    }

    /// Every context of the highest version among `builds` that answer `query` (scratch builds never do), sorted by
    /// context.
    public static func latest(_ builds: [ModuleBuild], answering query: Query) -> [ModuleBuild] {
        let matching = builds.filter { build in
            !build.scratch && build.name == query.name && query.states.contains(build.state)
                && (query.stream.map { $0 == build.stream } ?? true)
                && (query.version.map { $0 == build.version } ?? true)
                && (query.context.map { $0 == build.context } ?? true)
        }
        guard let top = matching.map(\.version).max() else { return [] }
        var seen = Set<String>()
        return matching.filter { $0.version == top && seen.insert($0.nsvc).inserted }.sorted { $0.context < $1.context }
    }

    /// The scratch build a `scratch_modules` entry (a complete N:S:V:C) names among `builds`: ready or done, nil when
    /// there is none. Scratch modules are taken as named; their requirements are not added.
    public static func scratch(_ spec: ModuleSpec, in builds: [ModuleBuild]) -> ModuleBuild? {
        guard spec.isComplete else { return nil }
        return builds.first {
            $0.scratch && $0.name == spec.name && $0.stream == spec.stream && $0.version == spec.version
                && $0.context == spec.context && ["ready", "done"].contains($0.state)
        }
    }

    /// Resolves the requested modules to builds sorted by N:S:V:C. `expand` adds run-time requirements;
    /// `baseModules` are the names never added. `lookup` answers one query with the builds it finds.
    public static func resolve(
        _ specs: [ModuleSpec], includeDone: Bool, expand: Bool, baseModules: Set<String>, compose: Compose? = nil,
        lookup: (Query) throws -> [ModuleBuild]
    ) throws -> [ModuleBuild] {
        var chosen: [String: [ModuleBuild]] = [:]
        var order: [ModuleBuild] = []

        func take(_ builds: [ModuleBuild]) throws(Failure) -> [ModuleBuild] {
            var added: [ModuleBuild] = []
            for build in builds {
                let present = chosen[build.nameStream] ?? []
                if let first = present.first, first.version != build.version {
                    throw Failure("\(build.nsvc) conflicts with \(first.nsvc)")
                }
                guard !present.contains(where: { $0.context == build.context }) else { continue }
                chosen[build.nameStream, default: []].append(build)
                order.append(build)
                added.append(build)
            }
            return added
        }

        var pending: [ModuleBuild] = []
        for spec in specs {
            let query = query(for: spec, includeDone: includeDone, compose: compose)
            let found = latest(try lookup(query), answering: query)
            guard !found.isEmpty else { throw Failure("Failed to find module \(spec) in the MBS.") }
            pending += try take(found)
        }
        while expand, !pending.isEmpty {
            var next: [ModuleBuild] = []
            for build in pending {
                for (name, streams) in build.requires.sorted(by: { $0.key < $1.key }) where !baseModules.contains(name)
                {
                    // Streams prefixed with "-" are exclusions; none left means any stream.
                    let allowed = streams.filter { !$0.hasPrefix("-") && !$0.isEmpty }
                    let excluded = Set(streams.filter { $0.hasPrefix("-") }.map { String($0.dropFirst()) })
                    let satisfied = order.contains {
                        $0.name == name
                            && (allowed.isEmpty ? !excluded.contains($0.stream) : allowed.contains($0.stream))
                    }
                    if satisfied { continue }
                    var found: [ModuleBuild] = []
                    for stream in allowed.isEmpty ? [nil] : allowed.map(Optional.some) where found.isEmpty {
                        var query = query(
                            for: ModuleSpec(name: name, stream: stream ?? ""), includeDone: includeDone,
                            compose: compose)
                        query.stream = stream
                        found = latest(try lookup(query).filter { !excluded.contains($0.stream) }, answering: query)
                    }
                    guard !found.isEmpty else {
                        let wanted = allowed.isEmpty ? name : "\(name):\(allowed.joined(separator: ","))"
                        throw Failure("Failed to find module \(wanted), required by \(build.nsvc), in the MBS.")
                    }
                    next += try take(found)
                }
            }
            pending = next
        }
        return order.sorted { $0.nsvc < $1.nsvc }
    }
}
