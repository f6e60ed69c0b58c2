/// `metadata/modules.json` of a module compose, in productmd's modules format: variant → arch → module uid
/// (`n:s:v:c`) → the module's metadata (uid, name, stream, version, context, Koji tag), where its modulemd is
/// (`modulemd_path.binary`, relative to `compose/`) and its RPMs on that arch.
extension ProductmdMetadata {
    public struct Module: Sendable, Equatable {
        public var build: ModuleBuild
        public var arch: String
        /// The arch's `modules.yaml.gz` relative to `compose/`.
        public var modulemdPath: String
        /// The module's RPM NEVRAs on this arch (`name-epoch:version-release.arch`).
        public var rpms: [String]

        public init(build: ModuleBuild, arch: String, modulemdPath: String, rpms: [String]) {
            self.build = build
            self.arch = arch
            self.modulemdPath = modulemdPath
            self.rpms = rpms
        }
    }

    /// The RPMs of `artifacts` that belong in an `arch` tree: that arch's, noarch ones and the source RPMs.
    public static func moduleRPMs(_ artifacts: [String], arch: String) -> [String] {
        artifacts.filter { artifact in
            guard let dot = artifact.lastIndex(of: ".") else { return false }
            let rpmArch = artifact[artifact.index(after: dot)...]
            return rpmArch == arch || rpmArch == "noarch" || rpmArch == "src"
        }.sorted()
    }

    public func modulesDocument(_ modules: [Module]) -> JSON {
        var byArch: [String: [(String, JSON)]] = [:]
        for module in modules.sorted(by: { ($0.arch, $0.build.nsvc) < ($1.arch, $1.build.nsvc) }) {
            let build = module.build
            let metadata: JSON = [
                "uid": .string(build.nsvc), "name": .string(build.name), "stream": .string(build.stream),
                "version": .string(String(build.version)), "context": .string(build.context),
                "koji_tag": .string(build.kojiTag),
            ]
            byArch[module.arch, default: []].append(
                (
                    build.nsvc,
                    [
                        "metadata": metadata, "modulemd_path": ["binary": .string(module.modulemdPath)],
                        "rpms": .array(module.rpms.map { .string($0) }),
                    ]
                ))
        }
        let arches = JSONObject(byArch.keys.sorted().map { ($0, .object(JSONObject(byArch[$0]!))) })
        return [
            "header": ["type": "productmd.modules", "version": "1.2"],
            "payload": ["compose": composeObject, "modules": ["Temporary": .object(arches)]],
        ]
    }
}
