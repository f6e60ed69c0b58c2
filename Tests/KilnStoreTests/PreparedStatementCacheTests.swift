import KilnStore
import KilnTesting
import Testing

/// The per-connection prepared-statement cache on a real PostgreSQL: bounded, least recently used out.
@Suite final class PreparedStatementCacheTests {
    let database: TestDatabase
    init() throws { database = try TestDatabase() }
    deinit { database.drop() }

    func preparedTexts(_ c: PGConnection) throws -> Set<String> {
        // pg_prepared_statements lists this session's own statements; this query itself is not prepared by then.
        let r = try c.execute("SELECT statement FROM pg_prepared_statements")
        var out = Set<String>()
        for row in r.rows { out.insert(try row.decode("statement")) }
        return out
    }

    @Test func manyDistinctStatementsNeverEvictAHotOneAndStayBounded() throws {
        let c = try database.connect()
        defer { c.close() }
        let hot: SQLQuery = "SELECT \("hot")::text AS hot"
        try c.query(hot)
        for i in 0..<300 {
            // Distinct texts, as lists assembled from filter combinations are.
            try c.query("SELECT \("1")::int + \(literal: i) AS n")
            if i % 20 == 0 { #expect(try c.query(hot).value("hot", as: String.self) == "hot") }
        }
        let texts = try preparedTexts(c)
        #expect(texts.count == 128)
        #expect(texts.contains(hot.sql))
        // The newest distinct statement is there, the oldest ones are gone.
        #expect(texts.contains("SELECT $1::int + 299 AS n"))
        #expect(!texts.contains("SELECT $1::int + 0 AS n"))
        // An evicted statement still runs (prepared again).
        #expect(try c.query("SELECT \("41")::int + \(literal: 0) AS n").value("n", as: Int.self) == 41)
    }
}
