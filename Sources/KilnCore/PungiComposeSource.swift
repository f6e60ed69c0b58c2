/// A `pungi_compose` source: the RPM set of an existing Pungi compose, read from its `metadata/rpms.json`
/// (ODCS's `PungiCompose`). The compose is then generated like a `build` compose of those builds and packages.
public struct PungiComposeSource: Sendable, Equatable {
    /// Source RPM N-V-R of every build the variant holds.
    public var builds: [String]
    /// Binary package names.
    public var packages: [String]
    public var arches: [String]
    /// Signature keys in use; `""` when some RPMs are unsigned (ODCS stores that as a trailing space).
    public var sigkeys: [String]

    /// `variantURL` is `<compose>/compose/<Variant>`; rpms.json lives at `<compose>/compose/metadata/rpms.json`.
    public static func metadataURL(variantURL: String) -> (url: String, variant: String)? {
        var trimmed = variantURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return nil }
        let variant = String(trimmed[trimmed.index(after: slash)...])
        guard !variant.isEmpty else { return nil }
        return (String(trimmed[..<slash]) + "/metadata/rpms.json", variant)
    }

    public static func parse(rpmsJSON: JSON, variant: String) throws(ComposeError) -> PungiComposeSource {
        guard rpmsJSON["header"]?["type"]?.stringValue == "productmd.rpms" else {
            throw .invalid("The compose's rpms.json is not productmd.rpms metadata")
        }
        guard let arches = rpmsJSON["payload"]?["rpms"]?[variant]?.objectValue else {
            throw .invalid("The compose has no variant \(variant)")
        }
        var builds = Set<String>()
        var packages = Set<String>()
        var sigkeys = Set<String>()
        for (arch, groups) in arches.pairs {
            for (srpm, rpms) in groups.objectValue?.pairs ?? [] {
                if let nvr = nvr(fromNEVRA: srpm) { builds.insert(nvr) }
                for (nevra, info) in rpms.objectValue?.pairs ?? [] {
                    if info["category"]?.stringValue == "source" { continue }
                    if let name = name(fromNEVRA: nevra) { packages.insert(name) }
                    sigkeys.insert(info["sigkey"]?.stringValue ?? "")
                }
            }
            _ = arch
        }
        return PungiComposeSource(
            builds: builds.sorted(), packages: packages.sorted(), arches: arches.keys.sorted(),
            sigkeys: sigkeys.sorted { a, b in
                a.isEmpty != b.isEmpty ? !a.isEmpty : a < b
            })
    }

    /// `bash-0:5.2.26-3.fc40.src` → `bash-5.2.26-3.fc40`.
    static func nvr(fromNEVRA nevra: String) -> String? {
        guard let dot = nevra.lastIndex(of: "."), let name = name(fromNEVRA: nevra) else { return nil }
        let nevr = nevra[..<dot]
        let versionRelease = nevr.dropFirst(name.count + 1)
        let withoutEpoch =
            versionRelease.split(separator: ":", maxSplits: 1).last.map(String.init) ?? String(versionRelease)
        return "\(name)-\(withoutEpoch)"
    }

    /// The name of `name-epoch:version-release.arch`: everything before the second-to-last dash.
    static func name(fromNEVRA nevra: String) -> String? {
        let parts = nevra.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        return parts.dropLast(2).joined(separator: "-")
    }
}
