internal import KilnPlatform

#if canImport(Glibc)
    internal import Glibc
#endif

/// Applies `migrations/NNNN_name.sql` files in name order, each at most once, all pending ones in one transaction,
/// under an advisory lock so concurrent runs wait for each other.
public struct Migrator {
    public struct Migration: Sendable, Equatable {
        public var version: String
        public var sql: String
        public init(version: String, sql: String) {
            self.version = version
            self.sql = sql
        }
    }

    public let migrations: [Migration]

    public init(migrations: [Migration]) { self.migrations = migrations.sorted { $0.version < $1.version } }

    /// Reads every `*.sql` file of `directory`.
    public init(directory: String) throws(KilnStoreError) {
        guard let dir = opendir(directory) else {
            throw KilnStoreError(.migration, "cannot open migrations directory \(directory)")
        }
        defer { closedir(dir) }
        var found: [Migration] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasSuffix(".sql") else { continue }
            let path = directory + "/" + name
            guard let text = Platform.readTextFile(path) else {
                throw KilnStoreError(.migration, "cannot read \(path)")
            }
            found.append(Migration(version: String(name.dropLast(4)), sql: text))
        }
        self.init(migrations: found)
    }

    /// Returns the versions applied by this call (empty when the schema was current).
    @discardableResult
    @available(*, noasync, message: "libpq blocks; call from a dedicated thread")
    public func migrate(_ connection: PGConnection) throws -> [String] {
        try connection.withTransaction { c in
            try c.execute("SELECT pg_advisory_xact_lock(7071000001)")
            try c.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version varchar PRIMARY KEY,
                    applied_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc'))
                """)
            let done = try c.query("SELECT version FROM schema_migrations")
            var applied = Set<String>()
            for row in done.rows { applied.insert(try row.decode("version")) }
            var ran: [String] = []
            for migration in migrations where !applied.contains(migration.version) {
                do {
                    try c.execute(migration.sql)
                } catch let error as KilnStoreError {
                    throw KilnStoreError(
                        .migration, "\(migration.version): \(error.serverMessage)", sqlState: error.sqlState)
                }
                try c.query("INSERT INTO schema_migrations (version) VALUES (\(migration.version))")
                ran.append(migration.version)
            }
            return ran
        }
    }
}
