/// productmd `composeinfo.json`, `rpms.json` and `images.json` for a generated compose, in productmd 1.2's format:
/// one variant, `Temporary`, with the compose's arches.
public struct ProductmdMetadata: Sendable {
    /// One RPM placed in the compose.
    public struct Entry: Sendable, Hashable {
        public enum Category: String, Sendable { case binary, debug, source }
        /// `name-epoch:version-release.arch`.
        public var nevra: String
        /// The SRPM's NEVRA (arch `src`) this RPM was built from.
        public var sourceNEVRA: String
        /// Relative to `compose/`.
        public var path: String
        public var sigkey: String?
        public var category: Category
        /// The binary arch it is listed under (a noarch package is listed under every compose arch it was placed in).
        public var arch: String

        public init(nevra: String, sourceNEVRA: String, path: String, sigkey: String?, category: Category, arch: String)
        {
            self.nevra = nevra
            self.sourceNEVRA = sourceNEVRA
            self.path = path
            self.sigkey = sigkey
            self.category = category
            self.arch = arch
        }
    }

    public var composeID: ComposeID
    public var label: String?
    public var releaseName: String
    public var arches: [String]
    public var entries: [Entry]
    /// The compose's images (`iso` results), listed in `images.json` and as the variant's `isos` paths.
    public var images: [ProductmdImage] = []

    public init(composeID: ComposeID, label: String?, releaseName: String, arches: [String], entries: [Entry]) {
        self.composeID = composeID
        self.label = label
        self.releaseName = releaseName
        self.arches = arches.sorted()
        self.entries = entries
    }

    /// The ODCS compose id of compose `id`: release `odcs-<id>` version 1 GA, so `odcs-42-1-20240425.t.0`.
    public static func composeID(composeNumber id: Int64, composeType: String?, date: String, respin: Int) -> ComposeID
    {
        let type = ComposeID.ComposeType(rawValue: composeType ?? "test") ?? .test
        return ComposeID(
            release: .init(short: String("odcs-\(id)".prefix(16)), version: "1", type: "ga"), date: date, type: type,
            respin: respin)
    }

    var composeObject: JSON {
        var o = JSONObject()
        o["id"] = .string(composeID.description)
        o["date"] = .string(composeID.date)
        o["respin"] = .int(Int64(composeID.respin))
        o["type"] = .string(composeID.type.rawValue)
        if let label, ComposeID.isValidLabel(label) {
            o["label"] = .string(label)
            o["final"] = .bool(false)
        }
        return .object(o)
    }

    /// `composeinfo.json`; `withVariants: false` gives `work/global/composeinfo-base.json`.
    public func composeInfo(withVariants: Bool = true) -> JSON {
        var variants = JSONObject()
        if withVariants {
            var paths = JSONObject()
            func perArch(_ make: (String) -> String) -> JSON {
                .object(JSONObject(arches.map { ($0, .string(make($0))) }))
            }
            paths["os_tree"] = perArch { "Temporary/\($0)/os" }
            paths["repository"] = perArch { "Temporary/\($0)/os" }
            paths["packages"] = perArch { "Temporary/\($0)/os/Packages" }
            paths["debug_tree"] = perArch { "Temporary/\($0)/debug/tree" }
            paths["debug_repository"] = perArch { "Temporary/\($0)/debug/tree" }
            paths["debug_packages"] = perArch { "Temporary/\($0)/debug/tree/Packages" }
            paths["source_tree"] = perArch { _ in "Temporary/source/tree" }
            paths["source_repository"] = perArch { _ in "Temporary/source/tree" }
            paths["source_packages"] = perArch { _ in "Temporary/source/tree/Packages" }
            let imageArches = Set(images.map(\.arch))
            if !imageArches.isEmpty {
                paths["isos"] = .object(JSONObject(imageArches.sorted().map { ($0, .string("Temporary/\($0)/iso")) }))
            }
            variants["Temporary"] = [
                "arches": .array(arches.map { .string($0) }), "id": "Temporary", "name": "Temporary",
                "paths": .object(paths),
                "type": "variant", "uid": "Temporary",
            ]
        }
        let release: JSON = [
            "internal": false, "name": .string(releaseName), "short": .string(composeID.release.short), "type": "ga",
            "version": .string(composeID.release.version),
        ]
        return [
            "header": ["type": "productmd.composeinfo", "version": "1.2"],
            "payload": ["compose": composeObject, "release": release, "variants": .object(variants)],
        ]
    }

    /// `rpms.json`: variant → arch → SRPM NEVRA → RPM NEVRA → {path, sigkey, category}; each SRPM is listed in its
    /// own group under every arch where its binaries are.
    public func rpms() -> JSON {
        var byArch: [String: [String: [String: JSON]]] = [:]
        for e in entries {
            let info: JSON = [
                "category": .string(e.category.rawValue), "path": .string(e.path), "sigkey": .optional(e.sigkey),
            ]
            byArch[e.arch, default: [:]][e.sourceNEVRA, default: [:]][e.nevra] = info
        }
        var archObject = JSONObject()
        for arch in byArch.keys.sorted() {
            var groups = JSONObject()
            for source in byArch[arch]!.keys.sorted() {
                groups[source] = .object(
                    JSONObject(byArch[arch]![source]!.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
            }
            archObject[arch] = .object(groups)
        }
        return [
            "header": ["type": "productmd.rpms", "version": "1.2"],
            "payload": ["compose": composeObject, "rpms": ["Temporary": .object(archObject)]],
        ]
    }
}
