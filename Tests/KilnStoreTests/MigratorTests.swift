import KilnStore
import KilnTesting
import Testing

@Suite final class MigratorTests {
    let database: TestDatabase
    init() throws { database = try TestDatabase() }
    deinit { database.drop() }

    @Test func pendingMigrationsApplyInOrderOnce() throws {
        let c = try database.connect()
        defer { c.close() }
        let migrator = Migrator(migrations: [
            .init(version: "9002_second", sql: "INSERT INTO t VALUES (2)"),
            .init(version: "9001_first", sql: "CREATE TABLE t (v int)"),
        ])
        #expect(try migrator.migrate(c) == ["9001_first", "9002_second"])
        #expect(try migrator.migrate(c).isEmpty)
        #expect(try c.count("SELECT count(*) FROM t") == 1)
    }

    @Test func failingMigrationRollsBackEverythingPending() throws {
        let c = try database.connect()
        defer { c.close() }
        let migrator = Migrator(migrations: [
            .init(version: "9101_ok", sql: "CREATE TABLE u (v int)"),
            .init(version: "9102_bad", sql: "INSERT INTO missing VALUES (1)"),
        ])
        #expect(throws: KilnStoreError.self) { try migrator.migrate(c) }
        #expect(try c.count("SELECT count(*) FROM pg_tables WHERE tablename = 'u'") == 0)
        #expect(try c.count("SELECT count(*) FROM schema_migrations WHERE version LIKE '91%'") == 0)
    }
}
