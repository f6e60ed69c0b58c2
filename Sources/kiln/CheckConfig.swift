import ArgumentParser
import KilnConfiguration
import KilnCore
import KilnFastCGI
import Logging

extension Kiln {
    struct CheckConfig: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-config", abstract: "Load the configuration and report the first problem, if any.")

        @OptionGroup var options: GlobalOptions

        func run() throws {
            let configuration = try options.load()
            print(
                "configuration ok: auth_backend=\(configuration.service.authBackend) "
                    + "workers=\(configuration.fastCGI.workerCount)"
            )
        }
    }
}
