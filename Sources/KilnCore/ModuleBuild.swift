/// A module stream as a compose request names it: `name:stream`, `name:stream:version` or
/// `name:stream:version:context` (the version all digits, a context without `:`).
public struct ModuleSpec: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var stream: String
    public var version: Int64?
    public var context: String?

    public init(name: String, stream: String, version: Int64? = nil, context: String? = nil) {
        self.name = name
        self.stream = stream
        self.version = version
        self.context = context
    }

    /// Parses `n:s`, `n:s:v` or `n:s:v:c`; nil for anything else (an empty part, a version that is not a number
    /// from 0 to 2^63 - 1, five parts or more).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (2...4).contains(parts.count), !parts.contains(where: \.isEmpty) else { return nil }
        name = parts[0]
        stream = parts[1]
        if parts.count >= 3 {
            guard parts[2].utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                parts[2].utf8.count <= 19, let v = Int64(parts[2])
            else { return nil }
            version = v
        }
        if parts.count == 4 { context = parts[3] }
    }

    /// Whether it names one build exactly (all four parts).
    public var isComplete: Bool { version != nil && context != nil }

    public var description: String {
        [name, stream, version.map { String($0) }, context].compactMap { $0 }.joined(separator: ":")
    }
}

/// One module build as the Module Build Service (or a Koji module tag) describes it: its N:S:V:C, its state, the Koji
/// tag its RPMs are tagged into, its modulemd document, and what it requires at run time (read from the modulemd).
public struct ModuleBuild: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var stream: String
    public var version: Int64
    public var context: String
    /// MBS's state name: `ready`, `done`, `build`, `failed`, ...
    public var state: String
    /// The Koji tag holding the module's RPM builds (`module-<hash>` in MBS, `module-n-s-v-c` elsewhere).
    public var kojiTag: String
    /// The module's modulemd YAML document, as the build service stores it.
    public var modulemd: String
    public var scratch: Bool
    /// Run-time requirements: module name → streams (an empty list: any stream).
    public var requires: [String: [String]]
    /// The RPMs the module build ships, as `name-epoch:version-release.arch`.
    public var artifacts: [String]

    public init(
        name: String, stream: String, version: Int64, context: String, state: String = "ready", kojiTag: String = "",
        modulemd: String = "", scratch: Bool = false, requires: [String: [String]] = [:], artifacts: [String] = []
    ) {
        self.name = name
        self.stream = stream
        self.version = version
        self.context = context
        self.state = state
        self.kojiTag = kojiTag
        self.modulemd = modulemd
        self.scratch = scratch
        self.requires = requires
        self.artifacts = artifacts
    }

    /// `name:stream:version:context`, the form a module compose's `source` is rewritten to.
    public var nsvc: String { "\(name):\(stream):\(version):\(context)" }
    public var nameStream: String { "\(name):\(stream)" }
    public var description: String { nsvc }
}
