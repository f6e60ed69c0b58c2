import ArgumentParser
import KilnConfiguration
import KilnCore
import KilnFastCGI
import KilnPlatform
import KilnStore
import Logging

extension Kiln {
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending database migrations, in order, in one transaction.")

        @OptionGroup var options: GlobalOptions

        @Option(help: "Directory of NNNN_name.sql files (default: $KILN_MIGRATIONS or /usr/share/kiln/migrations).")
        var migrations: String?

        func run() throws {
            let configuration = try options.load()
            let logger = options.logger(configuration, label: "kiln.migrate")
            let directory = migrations ?? Platform.environment()["KILN_MIGRATIONS"] ?? "/usr/share/kiln/migrations"
            let migrator = try Migrator(directory: directory)
            let connection = try PGConnection.connect(configuration.databaseURL)
            defer { connection.close() }
            let ran = try migrator.migrate(connection)
            logger.info(
                "migrations applied",
                metadata: ["kiln.migrations": "\(ran.isEmpty ? "none" : ran.joined(separator: ","))"])
            print(ran.isEmpty ? "schema is current" : "applied: \(ran.joined(separator: " "))")
        }
    }
}
