import ArgumentParser
import KilnConfiguration
import KilnCore
import KilnJobs
import KilnStore

extension Kiln {
    struct Promote: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the promotion rules (promotion_rules): tag the newest eligible compose of each release.",
            discussion: """
                A rule runs when min_interval has passed since it last chose a compose (or with --force). Exits 0 \
                when every rule ran or was not due, 1 when one failed (its tag does not exist, the database refused).
                """)

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Change nothing; print what would be done.")
        var dryRun = false

        @Flag(help: "Run rules even when their min_interval has not passed.")
        var force = false

        @Option(name: .customLong("rule"), help: "Run only this rule (repeatable).")
        var rules: [String] = []

        func run() throws {
            let configuration = try options.load()
            let logger = options.logger(configuration, label: "kiln.promote")
            if configuration.tracking.promotionRules.isEmpty {
                print("no promotion_rules configured: nothing to do")
                return
            }
            let report: PromoteJob.Report
            do {
                report = try PromoteJob(configuration: configuration, logger: logger)
                    .run(.init(dryRun: dryRun, force: force, rules: rules))
            } catch let error as PromoteJob.UnknownRule {
                throw ValidationError(error.description)
            }
            print(Self.render(report, dryRun: dryRun))
            if report.failed { throw ExitCode(1) }
        }

        static func render(_ report: PromoteJob.Report, dryRun: Bool) -> String {
            var lines: [String] = []
            if dryRun { lines.append("dry run: nothing was changed") }
            func untagged(_ ids: [String]) -> String {
                ids.isEmpty ? "" : "; \(dryRun ? "would take" : "took") it off \(ids.joined(separator: " "))"
            }
            for (rule, tag, outcome) in report.results {
                switch outcome {
                case .notDue(let seconds): lines.append("rule \(rule): not due (next in \(seconds) s)")
                case .noCandidate: lines.append("rule \(rule): no eligible compose")
                case .unchanged(let id, let off):
                    lines.append("rule \(rule): \(id) already tagged \(tag)\(untagged(off))")
                case .promoted(let id, let off):
                    lines.append("rule \(rule): \(dryRun ? "would tag" : "tagged") \(id) \(tag)\(untagged(off))")
                case .failed(let why): lines.append("rule \(rule): error: \(why)")
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
