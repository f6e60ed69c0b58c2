public import ArgumentParser
import KilnConfiguration
import KilnCore
import KilnFastCGI
import KilnPlatform
public import Logging

@main
struct Kiln: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiln",
        abstract: "Kiln administration and backend jobs.",
        version: KilnVersion.current,
        subcommands: [
            Migrate.self, Generate.self, Expire.self, CheckToken.self, Publish.self, DevToken.self, DevSeed.self,
            CheckConfig.self,
            TrackLocations.self, Promote.self, ImportContents.self,
        ]
    )
}

/// Options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Configuration file (default: $KILN_CONFIG or /etc/kiln/kiln.json).")
    var config: String?

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: Logger.Level?

    func load() throws -> KilnConfiguration {
        var configuration = try KilnConfiguration.load(path: config, environment: Platform.environment())
        if let logLevel { configuration.logLevel = logLevel }
        return configuration
    }

    func logger(_ configuration: KilnConfiguration, label: String) -> Logger {
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in RequestLogHandler(label: label, level: level) }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
