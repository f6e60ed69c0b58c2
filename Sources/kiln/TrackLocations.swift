import ArgumentParser
import Foundation
import KilnConfiguration
import KilnCore
import KilnJobs
import KilnStore

extension Kiln {
    struct TrackLocations: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "track-locations",
            abstract: "Reconcile tracked composes' recorded locations with the compose roots on disk.",
            discussion: """
                Scans target_dir and compose_roots for compose/metadata/composeinfo.json. A tracked compose found \
                elsewhere gets its compose_url updated; one whose directory is gone from a present root is tagged \
                removed; an untracked compose is imported (builder kiln-track-locations). Exits 0 when everything \
                was reconciled, 1 when something was not (a root missing or not mounted, an unreadable \
                composeinfo.json, an id collision); the report says what.
                """)

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Change nothing; print what would be done.")
        var dryRun = false

        func run() throws {
            let configuration = try options.load()
            let logger = options.logger(configuration, label: "kiln.track-locations")
            let started = Date()
            let report = try TrackLocationsJob(configuration: configuration, logger: logger).run(.init(dryRun: dryRun))
            if report.busy {
                print("another kiln track-locations run holds the lock: nothing done")
                return
            }
            print(Self.render(report, dryRun: dryRun, seconds: Date().timeIntervalSince(started)))
            if !report.errors.isEmpty { throw ExitCode(1) }
        }

        static func render(_ report: TrackLocationsJob.Report, dryRun: Bool, seconds: Double) -> String {
            let would = dryRun ? "would be " : ""
            var lines: [String] = []
            if dryRun { lines.append("dry run: nothing was changed") }
            for (path, state) in report.roots {
                switch state {
                case .present: lines.append("root \(path): present")
                case .missing(let why):
                    lines.append("root \(path): MISSING (\(why)); composes recorded under it not judged")
                }
            }
            for m in report.moved {
                lines.append("\(would)moved: \(m.composeID) \(m.from ?? "(no location)") -> \(m.to)")
            }
            for r in report.removed { lines.append("\(would)removed: \(r.composeID) (\(r.url) is gone)") }
            for r in report.restored { lines.append("\(would)restored: \(r.composeID) (\(r.url) is back)") }
            for i in report.imported {
                lines.append("\(would)imported: \(i.composeID) from \(i.directory) as \(i.url)")
            }
            for s in report.skipped { lines.append("skipped: \(s.composeID): \(s.reason)") }
            for e in report.errors { lines.append("error: \(e)") }
            lines.append(
                "summary: moved \(report.moved.count), removed \(report.removed.count), "
                    + "restored \(report.restored.count), imported \(report.imported.count), "
                    + "unchanged \(report.unchanged), not judged \(report.unmanaged), "
                    + "skipped \(report.skipped.count), errors \(report.errors.count)")
            lines.append(String(format: "took %.2f s (%d compose directories on disk)", seconds, report.composesOnDisk))
            return lines.joined(separator: "\n")
        }
    }
}
