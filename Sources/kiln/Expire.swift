import ArgumentParser
import Foundation
import KilnConfiguration
import KilnCore
import KilnJobs
import KilnStore

extension Kiln {
    struct Expire: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Remove expired composes and their files, fail stuck composes, purge leftovers, reclaim disk space.",
            discussion: """
                Exits 0 when everything was reconciled, 1 when some files could not be removed or free space is \
                still below the low-water mark after reclaiming (the log says which).
                """)

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Also remove the oldest done composes (expired or not) until free space is above disk_low_water.")
        var reclaim = false

        @Flag(help: "Change nothing; print what would be done.")
        var dryRun = false

        func run() throws {
            let configuration = try options.load()
            let logger = options.logger(configuration, label: "kiln.expire")
            let started = Date()
            let report = try ExpireJob(configuration: configuration, logger: logger).run(
                .init(reclaim: reclaim, dryRun: dryRun))
            if report.anotherRunning {
                print("another kiln expire is running: nothing done")
                return
            }
            let would = dryRun ? "would be " : ""
            func ids(_ list: [Int64]) -> String { list.isEmpty ? "none" : list.map(String.init).joined(separator: " ") }
            var lines: [String] = []
            if dryRun { lines.append("dry run: nothing was changed") }
            lines.append("expired, \(would)removed: \(ids(report.expired))")
            if !report.followed.isEmpty {
                lines.append("\(would)removed with the compose they reuse: \(ids(report.followed))")
            }
            if !report.keptForLink.isEmpty {
                lines.append("kept, a latest-* symlink points to them: \(ids(report.keptForLink))")
            }
            if !report.keptForReuse.isEmpty {
                lines.append("kept, a live compose reuses their files: \(ids(report.keptForReuse))")
            }
            if !report.skippedNoTargetDir.isEmpty {
                lines.append("skipped, target directory missing on this host: \(ids(report.skippedNoTargetDir))")
            }
            for (id, reason) in report.failedStuck { lines.append("\(would)failed \(id): \(reason)") }
            for path in report.purged { lines.append("leftover \(would)purged: \(path)") }
            if let before = report.diskBefore {
                var line = "disk: \(DiskSpace.format(before.freeBytes)) free of \(DiskSpace.format(before.totalBytes))"
                if let mark = report.reclaimMark { line += ", low-water mark \(DiskSpace.format(mark))" }
                lines.append(line)
            }
            for (id, bytes) in report.reclaimed {
                lines.append("reclaim: \(would)removed \(id) (\(DiskSpace.format(bytes)))")
            }
            if let after = report.diskAfter, !report.reclaimed.isEmpty {
                lines.append(
                    "disk after reclaim: \(DiskSpace.format(after.freeBytes)) free\(dryRun ? " (estimated)" : "")")
            }
            for error in report.errors { lines.append("error: \(error)") }
            lines.append(
                String(
                    format: "took %.2f s (database %.2f s, files %.2f s)",
                    Date().timeIntervalSince(started), report.databaseSeconds, report.filesSeconds))
            print(lines.joined(separator: "\n"))
            if !report.errors.isEmpty { throw ExitCode(1) }
        }
    }
}
