// kiln-api: the FastCGI responder. Reads the configuration, then serves until SIGTERM.
import KilnAPI
import KilnFastCGI
import KilnPlatform
import KilnStore
import Logging
import KilnConfiguration
#if canImport(Glibc)
import Glibc
#endif

let environment = Platform.environment()

let arguments = CommandLine.arguments.dropFirst()
if arguments.contains("--help") || arguments.contains("-h") {
    print("""
        usage: kiln-api [--config PATH] [--ceiling]
          --config PATH   configuration file (default $KILN_CONFIG or /etc/kiln/kiln.json)
          --ceiling       answer every request with a fixed tiny JSON body without touching the database
                          (the benchmark's ceiling for the httpd + FastCGI path)
        """)
    exit(0)
}
var configPath: String?
if let i = arguments.firstIndex(of: "--config"), arguments.index(after: i) < arguments.endIndex {
    configPath = arguments[arguments.index(after: i)]
}
let ceiling = arguments.contains("--ceiling")

let configuration: KilnConfiguration
do {
    configuration = try KilnConfiguration.load(path: configPath, environment: environment)
} catch {
    let text = "kiln-api: \(error)\n"
    _ = text.utf8.withContiguousStorageIfAvailable { write(2, $0.baseAddress, $0.count) }
    exit(78)  // EX_CONFIG
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
    exit(1)
}

if ceiling {
    server.run(makeState: { _ in () }, handle: { _, _, _ in KilnResponder.ceilingResponse() })
} else {
    let responder = KilnResponder(configuration: configuration)
    let conninfo = configuration.databaseURL
    server.run(
        makeState: { _ in DatabaseSession(conninfo: conninfo) },
        handle: { session, request, logger in responder.respond(to: request, session: session, logger: logger) })
}
exit(0)
