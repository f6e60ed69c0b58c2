internal import Foundation
public import KilnCore
internal import KilnHTTP

extension KojiPackageSet {
    /// The RPMs of module builds alone (a `module` compose), placed as any package set by the compose's signing keys.
    @available(*, noasync, message: "blocks")
    func make(modules: [ModuleBuild], for compose: Compose, into directory: String, progress: (Int, Int) -> Void)
        throws -> Result
    {
        let event = try koji.getLastEvent().id
        let entries = try moduleEntries(modules, event: event)
        var result = try place(entries, event: event, tagIDs: [], for: compose, into: directory, progress: progress)
        result.moduleFiles = Set(entries.map(\.rpm.filename))
        return result
    }

    /// The RPMs of module builds: each build's Koji tag (its own builds only, every one of them, at `event`),
    /// limited to the RPMs its modulemd lists as artifacts.
    @available(*, noasync, message: "blocks")
    func moduleEntries(_ modules: [ModuleBuild], event: Int64) throws
        -> [(rpm: KojiRPM, build: KojiBuild, sigs: Set<String>)]
    {
        var entries: [(rpm: KojiRPM, build: KojiBuild, sigs: Set<String>)] = []
        var included: [Int64: Int] = [:]
        for module in modules {
            guard !module.kojiTag.isEmpty else { throw GenerationError("Module \(module.nsvc) has no Koji tag") }
            guard !module.artifacts.isEmpty else {
                throw GenerationError("The modulemd of \(module.nsvc) lists no RPM artifacts")
            }
            let artifacts = Set(module.artifacts)
            let listed = try koji.listTaggedRPMS(
                module.kojiTag, event: event, inherit: false, latest: false, rpmsigs: true)
            let builds = Dictionary(listed.builds.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var found = Set<String>()
            for rpm in listed.rpms {
                let nevra = "\(rpm.name)-\(rpm.epoch ?? 0):\(rpm.version)-\(rpm.release).\(rpm.arch)"
                guard artifacts.contains(nevra), let build = builds[rpm.buildID] else { continue }
                found.insert(nevra)
                if let index = included[rpm.id] {
                    if let key = rpm.sigkey { entries[index].sigs.insert(key.lowercased()) }
                    continue
                }
                included[rpm.id] = entries.count
                entries.append((rpm, build, rpm.sigkey.map { [$0.lowercased()] } ?? []))
            }
            let missing = artifacts.subtracting(found).sorted()
            if !missing.isEmpty {
                log.write(
                    "Module \(module.nsvc): not in Koji tag \(module.kojiTag): \(missing.joined(separator: ", "))")
            }
            guard !found.isEmpty else {
                throw GenerationError("Koji tag \(module.kojiTag) holds none of the RPMs of module \(module.nsvc)")
            }
            log.write("Module \(module.nsvc): \(found.count) RPMs from Koji tag \(module.kojiTag)")
        }
        return entries
    }
}
