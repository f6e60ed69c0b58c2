import ArgumentParser
import KilnConfiguration
import KilnCore
import KilnJobs
import KilnStore

extension Kiln {
    struct CheckToken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-token",
            abstract: "Check how long the service's tokens have left (service_tokens in the configuration).",
            discussion: """
                Exits 0 when every token has more than token_fail_days left (a warning is logged from \
                token_warn_days), 1 when one is about to expire, has expired, or cannot be read or checked.
                """)

        @OptionGroup var options: GlobalOptions

        @Option(help: "Check this JWT file instead of the configured tokens (nothing is recorded).")
        var tokenFile: String?

        func run() throws {
            let configuration = try options.load()
            let logger = options.logger(configuration, label: "kiln.check-token")
            let job = CheckTokenJob(configuration: configuration, logger: logger)
            let tokens = tokenFile.map { [OperationsConfiguration.ServiceToken(name: $0, file: $0)] }
            if tokens == nil, configuration.operations.serviceTokens.isEmpty {
                print("no service_tokens configured: nothing to check")
                return
            }
            let results = job.run(tokens: tokens)
            for r in results { print("\(r.status.rawValue): \(r.message)") }
            if results.contains(where: { $0.status.fails }) { throw ExitCode(1) }
        }
    }
}
