internal import Foundation
public import KilnStore
internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// A scratch database on the real PostgreSQL `make test` starts, migrated from `migrations/`, dropped by `drop()`.
public final class TestDatabase: Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case serverMissing(String)
        public var description: String {
            switch self {
            case .serverMissing(let why):
                "PostgreSQL is needed and was not found: \(why). Run the tests with `make test`, "
                    + "which starts a private PostgreSQL and exports KILN_TEST_DATABASE_URL."
            }
        }
    }

    private static let counter = Atomic<Int>(0)

    public let name: String
    /// conninfo of the scratch database.
    public let conninfo: String
    private let adminConninfo: String

    /// Creates and migrates a new database. `file` locates the repository (pass `#filePath`). With
    /// `migratedThrough`, only the migrations up to that version are applied (for testing an upgrade).
    public init(file: String = #filePath, migratedThrough: String? = nil) throws {
        guard let admin = getenv("KILN_TEST_DATABASE_URL").map({ String(cString: $0) }), !admin.isEmpty else {
            throw Failure.serverMissing("KILN_TEST_DATABASE_URL is not set")
        }
        adminConninfo = admin
        name = "kiln_test_\(getpid())_\(Self.counter.add(1, ordering: .relaxed).newValue)"
        let connection: PGConnection
        do {
            connection = try PGConnection.connect(admin)
        } catch {
            throw Failure.serverMissing("cannot connect with KILN_TEST_DATABASE_URL (\(error.debugDescription))")
        }
        defer { connection.close() }
        try connection.execute("DROP DATABASE IF EXISTS \(name)")
        try connection.execute("CREATE DATABASE \(name)")
        conninfo = admin + " dbname=\(name)"
        let migrations = Self.repositoryRoot(file) + "/migrations"
        let db = try PGConnection.connect(conninfo)
        defer { db.close() }
        var migrator = try Migrator(directory: migrations)
        if let migratedThrough {
            migrator = Migrator(migrations: migrator.migrations.filter { $0.version <= migratedThrough })
        }
        try migrator.migrate(db)
    }

    public func connect() throws -> PGConnection { try PGConnection.connect(conninfo) }

    public func drop() {
        guard let connection = try? PGConnection.connect(adminConninfo) else { return }
        defer { connection.close() }
        _ = try? connection.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    public static func repositoryRoot(_ file: String) -> String {
        if let range = file.range(of: "/Tests/") ?? file.range(of: "/Sources/") {
            return String(file[..<range.lowerBound])
        }
        return "."
    }
}

/// A scratch database with one open connection, for a test suite to hold: closed and dropped when the suite
/// instance (and with it this) goes away.
public final class ConnectedTestDatabase {
    public let database: TestDatabase
    public let connection: PGConnection

    public init(file: String = #filePath) throws {
        database = try TestDatabase(file: file)
        do {
            connection = try database.connect()
        } catch {
            database.drop()
            throw error
        }
    }

    deinit {
        connection.close()
        database.drop()
    }
}
