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
            if configuration.devSignIn {
                print("warning: dev_sign_in is on: anybody can sign in to the pages as anyone (local stacks only)")
            }
            if configuration.pageSessionKeyFile == nil {
                print("note: page_session_key_file is not set: nobody can sign in to the pages")
            }
        }
    }
}
