public import Logging

/// A worker's lazily opened connection. After the server restarts, the first statement on the dead connection
/// fails; when that failure came before anything else ran, the session reconnects and runs the work once more.
public final class DatabaseSession {
    public let conninfo: String
    private var connection: PGConnection?

    public init(conninfo: String) { self.conninfo = conninfo }

    deinit { connection?.close() }

    @available(*, noasync, message: "libpq blocks")
    public func withConnection<T>(logger: Logger, _ body: (PGConnection) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let c: PGConnection
            if let existing = connection, existing.isOpen {
                c = existing
            } else {
                connection?.close()
                connection = nil
                c = try PGConnection.connect(conninfo)
                connection = c
                logger.debug("database connected")
            }
            c.resetStatementCount()
            do {
                return try body(c)
            } catch let error as KilnStoreError where error.isConnectionFailure {
                connection?.close()
                connection = nil
                // Only the first statement failed: nothing ran, so trying again on a fresh connection is safe.
                guard attempt == 1, c.statementCount <= 1 else { throw error }
                logger.debug(
                    "database connection lost, reconnecting", metadata: ["kiln.db.sqlstate": "\(error.sqlState ?? "-")"]
                )
            }
        }
    }
}
