#if canImport(Glibc)
internal import Glibc
#endif

/// A fault-drill aid (`scripts/drill` and the crash-recovery tests): with `KILN_DRILL_PAUSE_AT=<phase>` in its
/// environment, a generator that reaches that phase says so on stderr and stops there until it is killed.
/// Phases: `resolving`, `placing`, `repodata`, `metadata`, `written` (the whole tree staged), `done` (recorded
/// done, not yet placed). Unset (always, outside drills) it does nothing.
public enum DrillPause {
    static let phase: String? = getenv("KILN_DRILL_PAUSE_AT").map { String(cString: $0) }

    public static func at(_ name: String) {
        guard let phase, phase == name else { return }
        let line = "kiln: drill: paused at \(name)\n"
        _ = line.utf8.withContiguousStorageIfAvailable { write(2, $0.baseAddress, $0.count) }
        while true { sleep(3600) }
    }
}
