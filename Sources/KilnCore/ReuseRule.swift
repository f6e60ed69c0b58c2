/// ODCS's test of whether an older compose's files can serve a new request, without the Koji part:
/// for tag composes the caller must also check that the tag did not change since the old compose's event.
public enum ReuseRule {
    /// Whether `new` may reuse `old` at all (flags and source type), before looking at candidates.
    public static func allowsReuse(_ new: Compose) -> Bool {
        !new.flags.contains(.noReuse) && new.sourceType != .rawConfig && new.sourceType != .pulp
    }

    /// Set-equal and exactly-equal attributes, and compatible events.
    public static func matches(_ new: Compose, _ old: Compose) -> Bool {
        guard new.sourceType == old.sourceType, old.id < new.id, old.reusedID == nil else { return false }
        func set(_ s: String?) -> Set<Substring> { Set((s ?? "").split(separator: " ")) }
        let sets: [(String?, String?)] = [
            (new.packages, old.packages), (new.builds, old.builds), (new.sigkeys, old.sigkeys),
            (new.arches, old.arches),
            (new.lookasideRepos, old.lookasideRepos), (new.multilibArches, old.multilibArches),
            (new.modularKojiTags, old.modularKojiTags), (new.scratchModules, old.scratchModules),
            (new.modules, old.modules),
            (new.scratchBuildTasks, old.scratchBuildTasks), (new.parentPungiComposeIDs, old.parentPungiComposeIDs),
        ]
        guard sets.allSatisfy({ set($0.0) == set($0.1) }) else { return false }
        guard new.source == old.source, new.flags == old.flags, new.results == old.results,
            new.moduleDefaultsURL == old.moduleDefaultsURL, new.respinOf == old.respinOf,
            new.targetDir == old.targetDir,
            new.multilibMethod == old.multilibMethod
        else { return false }
        if let a = new.kojiEvent, let b = old.kojiEvent, a < b { return false }
        return new.sourceType == .tag || new.kojiEvent == old.kojiEvent
    }
}
