internal import CFastCGI
public import KilnConfiguration
internal import KilnPlatform
public import Logging
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// A multi-threaded libfcgi responder: N OS threads, each accepting and answering one request at a time with its
/// own per-thread state (a database connection). Blocking by design; it never runs on Swift's cooperative pool.
public final class FastCGIServer: Sendable {
    public let configuration: FastCGIConfiguration
    let logger: Logger
    // Shared between workers and the signal-waiting main thread, always under the mutex.
    private let counters = Mutex<(inFlight: Int, stopping: Bool)>((0, false))
    private let listenSocket: Int32

    @available(*, noasync, message: "libfcgi blocks; call from main")
    public init(configuration: FastCGIConfiguration, logger: Logger) throws(FastCGIError) {
        self.configuration = configuration
        self.logger = logger
        guard FCGX_Init() == 0 else { throw FastCGIError("FCGX_Init failed") }
        if let path = configuration.socketPath {
            unlink(path)
            let fd = FCGX_OpenSocket(path, configuration.backlog)
            guard fd >= 0 else { throw FastCGIError("cannot listen on \(path)", errno: errno) }
            chmod(path, mode_t(configuration.socketMode))
            listenSocket = fd
        } else if let fds = getenv("LISTEN_FDS").map({ String(cString: $0) }), Int(fds) ?? 0 >= 1 {
            listenSocket = 3 // systemd socket activation
        } else {
            listenSocket = 0 // FCGI_LISTENSOCK_FILENO: spawned by the web server
        }
    }

    /// Runs until SIGTERM/SIGINT/SIGHUP: then stops accepting, lets requests in flight finish (up to the grace
    /// period) and returns. `makeState` runs once on each worker thread; `handle` answers one request.
    @available(*, noasync, message: "libfcgi blocks; call from main")
    public func run<State>(
        makeState: @escaping @Sendable (_ worker: Int) -> State,
        handle: @escaping @Sendable (inout State, HTTPRequest, Logger) -> HTTPResponse
    ) {
        CFastCGI_ignoreSIGPIPE()
        _ = CFastCGI_blockTerminationSignals() // inherited by the workers; only this thread takes them
        for worker in 0..<max(1, configuration.workerCount) {
            Parallel.detach { [self] in self.workerLoop(worker: worker, makeState: makeState, handle: handle) }
        }
        logger.info("responder started", metadata: ["kiln.workers": "\(configuration.workerCount)"])
        let signal = CFastCGI_waitForTerminationSignal()
        logger.info("shutting down", metadata: ["kiln.signal": "\(signal)"])
        counters.withLock { $0.stopping = true }
        FCGX_ShutdownPending()
        // A socket Kiln created is shut down to wake the threads blocked in accept(). An inherited one (systemd socket
        // activation, or the web server's) is left alone: its owner keeps it for the next process, and shutting it
        // down would refuse every later connection. Idle threads then simply end with the process.
        if configuration.socketPath != nil { shutdown(listenSocket, Int32(SHUT_RDWR)) }
        var waitedMilliseconds = 0
        while counters.withLock({ $0.inFlight }) > 0 && waitedMilliseconds < configuration.shutdownGraceSeconds * 1000 {
            usleep(10_000)
            waitedMilliseconds += 10
        }
        if let path = configuration.socketPath { unlink(path) }
        logger.info("responder stopped", metadata: ["kiln.inflight": "\(counters.withLock { $0.inFlight })"])
    }

    private func workerLoop<State>(
        worker: Int, makeState: @Sendable (Int) -> State,
        handle: @Sendable (inout State, HTTPRequest, Logger) -> HTTPResponse
    ) {
        var state = makeState(worker)
        let request = FastCGIRequest(listenSocket: listenSocket)
        var sequence = 0
        while request.accept() {
            let proceed = counters.withLock { c -> Bool in
                if c.stopping { return false }
                c.inFlight += 1
                return true
            }
            guard proceed else {
                let refusal =
                    "Status: 503 Service Unavailable\r\nContent-Type: application/json\r\n\r\n"
                    + #"{"error": "Service Unavailable", "message": "The service is shutting down.", "status": 503}"#
                request.write(Array(refusal.utf8))
                request.finish()
                break
            }
            sequence += 1
            serve(request, worker: worker, sequence: sequence, state: &state, handle: handle)
            request.finish()
            counters.withLock { $0.inFlight -= 1 }
        }
    }

    private func serve<State>(
        _ request: borrowing FastCGIRequest, worker: Int, sequence: Int, state: inout State,
        handle: @Sendable (inout State, HTTPRequest, Logger) -> HTTPResponse
    ) {
        let params = request.parameters()
        let requestID =
            params["UNIQUE_ID"] ?? params["HTTP_X_REQUEST_ID"].flatMap(Self.safeRequestID)
            ?? "\(getpid())-\(worker)-\(sequence)"
        let sink = RequestLogHandler.Sink()
        var logger = Logger(label: logger.label) { label in
            RequestLogHandler(label: label, level: self.logger.logLevel, sink: sink)
        }
        logger.logLevel = self.logger.logLevel
        logger[metadataKey: "kiln.request.id"] = "\(requestID)"

        var incoming = Self.request(from: params, requestID: requestID)
        let declared = Int(params["CONTENT_LENGTH"] ?? "") ?? 0
        if declared > configuration.maxBodyBytes {
            request.discardInput()
            incoming.bodyTooLarge = true
        } else if let body = request.readBody(limit: configuration.maxBodyBytes) {
            incoming.body = body
        } else {
            incoming.bodyTooLarge = true
        }

        var response = handle(&state, incoming, logger)
        response.headers.append(("X-Request-Id", requestID))
        var head = "Status: \(response.status) \(HTTPResponse.reasonPhrase(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.count)\r\n\r\n"
        var bytes = Array(head.utf8)
        if incoming.method != "HEAD" { bytes.append(contentsOf: response.body) }
        request.write(bytes)
        for line in sink.drain() { request.writeError(line) }
    }

    /// A client-sent request id is kept only when it is short and plain (letters, digits, `-_.:@`), so it cannot
    /// forge log fields.
    static func safeRequestID(_ value: String) -> String? {
        guard !value.isEmpty, value.utf8.count <= 64,
            value.utf8.allSatisfy({ b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D
                    || b == 0x5F || b == 0x2E
                    || b == 0x3A || b == 0x40
            })
        else { return nil }
        return value
    }

    /// Splits CGI parameters into method, path, query, headers and server variables.
    static func request(from params: [String: String], requestID: String) -> HTTPRequest {
        var headers: [String: String] = [:]
        var variables: [String: String] = [:]
        for (name, value) in params {
            if name.hasPrefix("HTTP_") {
                headers[String(name.dropFirst(5)).lowercased().replacingUnderscores()] = value
            } else {
                variables[name] = value
            }
        }
        if let type = params["CONTENT_TYPE"] { headers["content-type"] = type }
        // SCRIPT_NAME + PATH_INFO is the path httpd decoded and normalised; REQUEST_URI is raw, the fallback.
        let path: String
        if let script = params["SCRIPT_NAME"], !script.isEmpty {
            path = script + (params["PATH_INFO"] ?? "")
        } else {
            let uri = params["REQUEST_URI"] ?? "/"
            path =
                uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
        }
        return HTTPRequest(
            method: params["REQUEST_METHOD"] ?? "GET", path: path, query: params["QUERY_STRING"] ?? "",
            headers: headers,
            variables: variables, requestID: requestID)
    }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? "-" : $0 }) }
}
