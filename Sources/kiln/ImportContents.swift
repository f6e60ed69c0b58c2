import ArgumentParser
import KilnConfiguration
import KilnJobs

extension Kiln {
    struct ImportContents: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-contents",
            abstract: "Record the RPM list of tracked composes from <compose_url>/compose/metadata/rpms.json.",
            discussion: """
                Takes tracked composes that have a compose_url and no RPM list yet. A failed fetch is retried on \
                later runs. Exits 0 when every fetch succeeded, 1 when some failed (the log says why).
                """)

        @OptionGroup var options: GlobalOptions

        @Option(help: "At most this many composes per run.")
        var limit = 1000

        @Option(help: "Give up on a compose after this many failed fetches (set_url starts again).")
        var maxAttempts = 5

        @Option(help: "Seconds between two fetches of the same compose.")
        var retryAfter = 900

        @Option(name: .customLong("compose"), help: "Only this compose id (repeatable).")
        var composes: [String] = []

        func run() throws {
            let configuration = try options.load()
            let logger = options.logger(configuration, label: "kiln.import-contents")
            var job = ImportContentsJob(configuration: configuration, logger: logger)
            job.limit = limit
            job.maxAttempts = maxAttempts
            job.retryAfterSeconds = retryAfter
            job.only = composes.isEmpty ? nil : composes
            let report = try job.run()
            for (id, count) in report.fetched { print("fetched \(id): \(count) rpms") }
            for (id, reason) in report.failed { print("failed \(id): \(reason)") }
            if report.fetched.isEmpty && report.failed.isEmpty { print("nothing to fetch") }
            if !report.failed.isEmpty { throw ExitCode(1) }
        }
    }
}
