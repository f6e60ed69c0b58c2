internal import CLibPQ
internal import KilnCore

#if canImport(Glibc)
    internal import Glibc
#endif

/// One libpq connection. Used by one thread at a time; blocking.
public final class PGConnection {
    private var handle: OpaquePointer?
    /// Statements sent since `resetStatementCount()`; lets callers tell a failed first statement from a later one.
    public private(set) var statementCount = 0
    /// Statements this connection has prepared, by SQL text: planning once per connection instead of per call.
    /// At most `preparedLimit`; the least recently used one is deallocated to make room, so statements assembled
    /// from many filter combinations cannot crowd out the hot ones for the connection's whole life.
    private var prepared: [String: (name: String, lastUse: UInt64)] = [:]
    private var useClock: UInt64 = 0
    private var nextStatementNumber = 0
    static let preparedLimit = 128

    /// When set, a statement sent outside a transaction that finds the connection broken (the server restarted)
    /// does not fail at once: the connection is re-established (retried for up to this many seconds), `onReconnect`
    /// runs on the new session, and the statement is sent once more. Only for callers whose statements outside
    /// transactions may run twice (the generator's progress and bookkeeping); nil (the default) fails at once.
    public var reconnectSeconds: Double?
    /// Runs on the new session after a reconnect (re-taking session locks, LISTEN); its failure fails the statement.
    public var onReconnect: ((PGConnection) throws -> Void)?
    private var reconnecting = false

    private init(handle: OpaquePointer) { self.handle = handle }

    /// Opens a connection from a libpq conninfo string or `postgresql://` URL.
    @available(*, noasync, message: "libpq blocks; call from a dedicated thread")
    public static func connect(_ conninfo: String) throws(KilnStoreError) -> PGConnection {
        guard let handle = PQconnectdb(conninfo) else { throw KilnStoreError(.connection, "out of memory") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingWhitespace()
            PQfinish(handle)
            throw KilnStoreError(.connection, message)
        }
        let connection = PGConnection(handle: handle)
        // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        return connection
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    public var isOpen: Bool { handle != nil && PQstatus(handle) == CONNECTION_OK }

    public func resetStatementCount() { statementCount = 0 }

    /// Runs one statement with text parameters and returns its rows.
    @discardableResult
    @available(*, noasync, message: "libpq blocks; call from a dedicated thread")
    public func query(_ query: SQLQuery) throws(KilnStoreError) -> PGResult {
        try retryingOutsideTransaction { () throws(KilnStoreError) in try send(query) }
    }

    private func send(_ query: SQLQuery) throws(KilnStoreError) -> PGResult {
        guard let handle else { throw KilnStoreError(.connection, "connection is closed", query: query.sql) }
        statementCount += 1
        useClock += 1
        var name = prepared[query.sql]?.name
        if name != nil {
            prepared[query.sql]!.lastUse = useClock
        } else if PQtransactionStatus(handle) != PQTRANS_INERROR {
            if prepared.count >= Self.preparedLimit,
                let oldest = prepared.min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                PQclear(PQexec(handle, "DEALLOCATE \(oldest.value.name)"))
                prepared[oldest.key] = nil
            }
            let newName = "kiln_\(nextStatementNumber)"
            nextStatementNumber += 1
            _ = try check(PQprepare(handle, newName, query.sql, Int32(query.binds.count), nil), query: query.sql)
            prepared[query.sql] = (newName, useClock)
            name = newName
        }
        let result: OpaquePointer? = withCStrings(query.binds) { values in
            if let name {
                PQexecPrepared(handle, name, Int32(query.binds.count), values, nil, nil, 0)
            } else {
                PQexecParams(handle, query.sql, Int32(query.binds.count), nil, values, nil, nil, 0)
            }
        }
        return try check(result, query: query.sql)
    }

    /// Runs SQL text that may hold several statements (migrations); no parameters.
    @discardableResult
    @available(*, noasync, message: "libpq blocks; call from a dedicated thread")
    public func execute(_ sql: String) throws(KilnStoreError) -> PGResult {
        try retryingOutsideTransaction { () throws(KilnStoreError) in
            guard let handle else { throw KilnStoreError(.connection, "connection is closed", query: sql) }
            statementCount += 1
            return try check(PQexec(handle, sql), query: sql)
        }
    }

    /// `send` once; with `reconnectSeconds`, once more after a reconnect when the connection broke outside a
    /// transaction (inside one, the transaction is lost and the caller must see it).
    private func retryingOutsideTransaction(
        _ send: () throws(KilnStoreError) -> PGResult
    ) throws(KilnStoreError) -> PGResult {
        if let seconds = reconnectSeconds, !reconnecting, let handle, PQstatus(handle) != CONNECTION_OK {
            // Broken by an earlier failure (one inside a transaction): a new session first.
            try reconnect(within: seconds)
        }
        let idle = handle.map { PQtransactionStatus($0) == PQTRANS_IDLE } ?? false
        do {
            return try send()
        } catch {
            guard error.isConnectionFailure, idle, let seconds = reconnectSeconds, !reconnecting, handle != nil else {
                throw error
            }
            try reconnect(within: seconds)
            return try send()
        }
    }

    /// PQreset until it connects or `seconds` have passed; then forgets prepared statements and runs `onReconnect`.
    private func reconnect(within seconds: Double) throws(KilnStoreError) {
        guard let handle else { throw KilnStoreError(.connection, "connection is closed") }
        reconnecting = true
        defer { reconnecting = false }
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let deadline = Double(now.tv_sec) + seconds
        while true {
            PQreset(handle)
            if PQstatus(handle) == CONNECTION_OK { break }
            clock_gettime(CLOCK_MONOTONIC, &now)
            guard Double(now.tv_sec) < deadline else {
                throw KilnStoreError(.connection, String(cString: PQerrorMessage(handle)).trimmingWhitespace())
            }
            usleep(500_000)
        }
        prepared = [:]
        if let onReconnect {
            do {
                try onReconnect(self)
            } catch let e as KilnStoreError {
                throw e
            } catch {
                throw KilnStoreError(.connection, "after reconnecting: \(error)")
            }
        }
    }

    /// BEGIN; body; COMMIT. Rolls back when the body throws and rethrows the body's error.
    @available(*, noasync, message: "libpq blocks; call from a dedicated thread")
    public func withTransaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            if isOpen { _ = try? execute("ROLLBACK") }
            throw error
        }
        try execute("COMMIT")
        return value
    }

    /// Waits up to `timeoutMilliseconds` for a NOTIFY on a channel this connection LISTENs to; true when one (or more)
    /// arrived. All pending notifications are consumed.
    @available(*, noasync, message: "libpq blocks; call from a dedicated thread")
    public func waitForNotification(timeoutMilliseconds: Int32) throws(KilnStoreError) -> Bool {
        guard let handle else { throw KilnStoreError(.connection, "connection is closed") }
        func drain() -> Bool {
            var got = false
            while let n = PQnotifies(handle) {
                PQfreemem(n)
                got = true
            }
            return got
        }
        guard PQconsumeInput(handle) == 1 else {
            throw KilnStoreError(.connection, String(cString: PQerrorMessage(handle)).trimmingWhitespace())
        }
        if drain() { return true }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        guard ready > 0 else { return false }
        guard PQconsumeInput(handle) == 1 else {
            throw KilnStoreError(.connection, String(cString: PQerrorMessage(handle)).trimmingWhitespace())
        }
        return drain()
    }

    private func check(_ result: OpaquePointer?, query: String) throws(KilnStoreError) -> PGResult {
        guard let result else {
            let message = handle.map { String(cString: PQerrorMessage($0)) } ?? "no connection"
            throw KilnStoreError(.connection, message.trimmingWhitespace(), query: query)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PGResult(handle: result, query: query)
        default:
            let message = String(cString: PQresultErrorMessage(result)).trimmingWhitespace()
            let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            PQclear(result)
            let broken = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
            throw KilnStoreError(
                broken && sqlState == nil ? .connection : .query, message, sqlState: sqlState, query: query)
        }
    }
}

/// Calls `body` with a C array of NUL-terminated copies of `strings` (nil stays NULL).
private func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { for p in pointers { free(p) } }
    return pointers.withUnsafeMutableBufferPointer { buffer in
        body(buffer.map { $0.map { UnsafePointer($0) } })
    }
}
