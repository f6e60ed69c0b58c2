import ArgumentParser
import KilnConfiguration
import KilnJobs

extension Kiln {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate waiting composes (any number of these may run side by side, on any hosts).")

        @OptionGroup var options: GlobalOptions

        @Flag(help: "Return when no compose is waiting instead of waiting for new ones.")
        var once = false

        @Option(help: "Composes generated at once (default: num_concurrent_pungi from the configuration).")
        var workers: Int?

        func run() throws {
            let configuration = try options.load()
            let logger = options.logger(configuration, label: "kiln.generate")
            try GenerateJob(configuration: configuration, logger: logger).run(
                workers: workers ?? configuration.generateWorkers, once: once)
        }
    }
}
