#if canImport(Glibc)
    internal import Glibc
#endif

/// A fault-drill aid (`scripts/drill` and the crash-recovery tests): with `KILN_DRILL_PAUSE_AT=<phase>[,<phase>...]`
/// in its environment, a generator that reaches one of those phases says so on stderr (`kiln: drill: paused at
/// <phase>`) and stops there: until it is killed, or for `KILN_DRILL_PAUSE_SECONDS` seconds when that is set.
/// Phases: `resolving`, `placing`, `repodata`, `metadata`, `written` (the whole tree staged), `done` (recorded done,
/// not yet placed). Unset (always, outside drills) it does nothing.
public enum DrillPause {
    static let phases: Set<String> = Set(
        (getenv("KILN_DRILL_PAUSE_AT").map { String(cString: $0) } ?? "").split(separator: ",").map(String.init))
    static let seconds: UInt32? = getenv("KILN_DRILL_PAUSE_SECONDS")
        .flatMap { UInt32(String(cString: $0)) }.map { min($0, 3600) }

    public static func at(_ name: String) {
        guard phases.contains(name) else { return }
        let line = "kiln: drill: paused at \(name)\n"
        _ = line.utf8.withContiguousStorageIfAvailable { write(2, $0.baseAddress, $0.count) }
        if let seconds {
            sleep(seconds)
            return
        }
        while true { sleep(3600) }
    }
}
