// kiln-api: the FastCGI responder. Reads the configuration, then serves until SIGTERM.
import ArgumentParser
import KilnAPI
import KilnConfiguration
import KilnFastCGI
import KilnPlatform
import KilnStore
import Logging

#if canImport(Glibc)
    import Glibc
#endif

@main
struct KilnAPIServer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiln-api",
        abstract: "Kiln's FastCGI responder: serves the ODCS and compose-tracking APIs behind httpd.",
        discussion: """
            Listens on the unix socket the configuration names, else on the socket systemd passes as fd 3 \
            (kiln-api.socket, LISTEN_FDS set), else on fd 0 as a web server's spawned responder. \
            Exits 78 (EX_CONFIG) when the configuration cannot be read.
            """,
        version: KilnVersion.current)

    @Option(help: "Configuration file (default: $KILN_CONFIG or /etc/kiln/kiln.json).")
    var config: String?

    @Flag(
        help: """
            Answer every request with a fixed tiny JSON body without touching the database \
            (the benchmark's ceiling for the httpd + FastCGI path).
            """)
    var ceiling = false

    func run() throws {
        let configuration: KilnConfiguration
        do {
            configuration = try KilnConfiguration.load(path: config, environment: Platform.environment())
        } catch {
            let text = "kiln-api: \(error)\n"
            _ = text.utf8.withContiguousStorageIfAvailable { write(2, $0.baseAddress, $0.count) }
            throw ExitCode(78) // EX_CONFIG
        }

        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in RequestLogHandler(label: label, level: level) }
        var logger = Logger(label: "kiln-api")
        logger.logLevel = level

        let server: FastCGIServer
        do {
            server = try FastCGIServer(configuration: configuration.fastCGI, logger: logger)
        } catch {
            logger.critical("cannot listen", metadata: ["kiln.error": "\(error)"])
            throw ExitCode.failure
        }

        if ceiling {
            server.run(makeState: { _ in () }, handle: { _, _, _ in KilnResponder.ceilingResponse() })
        } else {
            let pageKey: [UInt8]?
            do {
                pageKey = try KilnResponder.loadPageKey(configuration: configuration)
            } catch {
                logger.critical("bad configuration", metadata: ["kiln.error": "\(error)"])
                throw ExitCode.failure
            }
            if pageKey == nil {
                logger.notice("page_session_key_file is not set: the pages are read-only, nobody can sign in")
            }
            let responder = KilnResponder(configuration: configuration, pageKey: pageKey)
            let conninfo = configuration.databaseURL
            server.run(
                makeState: { _ in DatabaseSession(conninfo: conninfo) },
                handle: { session, request, logger in
                    responder.respond(to: request, session: session, logger: logger)
                })
        }
    }
}
