import KilnCore
import KilnStore
import KilnTesting
import Testing

/// Reading rows by column name on a real PostgreSQL: each Swift type, NULLs, and what a failure says.
@Suite struct PGRowTests {
    let scratch: ConnectedTestDatabase
    var database: TestDatabase { scratch.database }
    var connection: PGConnection { scratch.connection }

    init() throws {
        scratch = try ConnectedTestDatabase()
    }

    @Test func namesAreFoundInAnyOrderExactlyAndTheFirstOfARepeatedOne() throws {
        let rows = try connection.query(
            "SELECT g AS id, g * 10 AS id_x, 'é' || g AS \"名前\", g * 100 AS i FROM generate_series(1, 3) g"
        ).rows
        for (index, row) in rows.enumerated() {
            let g = Int64(index + 1)
            // In select-list order, backwards, and skipping about: each name finds its own column.
            #expect(try row.decode("id", as: Int64.self) == g)
            #expect(try row.decode("id_x", as: Int64.self) == g * 10)
            #expect(try row.decode("i", as: Int64.self) == g * 100)
            #expect(try row.decode("名前", as: String.self) == "é\(g)")
            #expect(try row.decode("id_x", as: Int64.self) == g * 10)
            #expect(try row.decode("id", as: Int64.self) == g)
        }
        // A prefix, an extension, a different case or an embedded NUL of a column's name is not that column.
        for name in ["", "i_", "id_", "id_xy", "ID", "id\u{0}", "名"] {
            #expect(!rows[0].contains(name), "\(name)")
        }
        let repeated = try #require(try connection.query("SELECT 1 AS a, 2 AS b, 3 AS a").first)
        #expect(try repeated.decode("b", as: Int.self) == 2)
        #expect(try repeated.decode("a", as: Int.self) == 1)
        #expect(try repeated.decode("a", as: Int.self) == 1)
    }

    @Test func decodesEachTypeByName() throws {
        let r = try connection.query(
            """
            SELECT 'text'::varchar AS s, 9000000000::bigint AS big, 42::int AS small, true AS yes, false AS no,
                2.5::float8 AS ratio, 3 AS state, 'nightly' AS type, 5::bigint AS flags,
                timestamp '2026-01-31 12:00:05' AS at, timestamp '2026-01-31 12:00:05.6' AS rounded,
                timestamptz '2026-01-31 14:00:05+02' AS zoned, 1769860805::bigint AS epoch, NULL::text AS nothing
            """)
        let row = try #require(r.first)
        #expect(try row.decode("s", as: String.self) == "text")
        #expect(try row.decode("big", as: Int64.self) == 9_000_000_000)
        #expect(try row.decode("small", as: Int.self) == 42)
        #expect(try row.decode("small", as: Int32.self) == 42)
        #expect(try row.decode("yes", as: Bool.self) == true)
        #expect(try row.decode("no", as: Bool.self) == false)
        #expect(try row.decode("ratio", as: Double.self) == 2.5)
        #expect(try row.decode("state", as: ComposeState.self) == .removed)
        #expect(try row.decode("type", as: ComposeID.ComposeType.self) == .nightly)
        #expect(try row.decode("flags", as: ComposeFlags.self) == ComposeFlags(rawValue: 5))
        let expected = Timestamp(secondsSinceEpoch: 1_769_860_805)
        #expect(try row.decode("at", as: Timestamp.self) == expected)
        #expect(try row.decode("rounded", as: Timestamp.self) == expected.adding(seconds: 1))
        #expect(try row.decode("zoned", as: Timestamp.self) == expected)
        #expect(try row.decode("epoch", as: Timestamp.self) == expected)
        #expect(try row.decode("nothing", as: String?.self) == nil)
        #expect(try row.decode("s", as: String?.self) == "text")
        #expect(try row.isNull("nothing"))
        #expect(try !row.isNull("s"))
        #expect(row.contains("epoch") && !row.contains("missing"))
    }

    @Test func aWrongTypeNamesTheColumnAndBothTypes() throws {
        let r = try connection.query("SELECT 'abc'::varchar AS label, 99 AS state")
        let row = try #require(r.first)
        let asNumber = #expect(throws: KilnStoreError.self) { try row.decode("label", as: Int64.self) }
        #expect(asNumber?.code == .decode)
        #expect(asNumber?.column == "label")
        #expect(asNumber?.postgresType == "varchar")
        #expect(asNumber?.swiftType == "Int64")
        #expect(asNumber?.serverMessage == "column label (postgres type varchar, row 0) cannot be read as Int64")
        let debug = asNumber.map { String(reflecting: $0) } ?? ""
        #expect(debug.contains("column: label, postgres type: varchar, swift type: Int64"))
        // The generic description names none of it.
        #expect(asNumber?.description == "KilnStoreError(decode)")
        let asState = #expect(throws: KilnStoreError.self) { try row.decode("state", as: ComposeState.self) }
        #expect(asState?.postgresType == "int4")
        #expect(asState?.swiftType == "ComposeState")
    }

    @Test func aNullInANonOptionalAndAMissingColumnAreErrors() throws {
        let r = try connection.query("SELECT NULL::bigint AS reused_id")
        let row = try #require(r.first)
        let null = #expect(throws: KilnStoreError.self) { try row.decode("reused_id", as: Int64.self) }
        #expect(null?.serverMessage == "column reused_id (postgres type int8, row 0) is NULL")
        #expect(null?.swiftType == "Int64")
        let missing = #expect(throws: KilnStoreError.self) { try row.decode("reuse_id", as: Int64?.self) }
        #expect(missing?.column == "reuse_id")
        #expect(missing?.postgresType == nil)
        #expect(missing?.serverMessage == "column reuse_id is not in the result (columns: reused_id)")
        let empty = try connection.query("SELECT 1 AS one WHERE false")
        #expect(empty.first == nil)
        #expect(throws: KilnStoreError.self) { try empty.value("one", as: Int.self) }
    }

    @Test func aJSONArrayColumnGivesItsStrings() throws {
        let r = try connection.query(
            """
            SELECT '["a", "b"]'::jsonb AS tags, '{"a": 1}'::jsonb AS object
            """)
        let row = try #require(r.first)
        #expect(try row.decodeStrings("tags") == ["a", "b"])
        let error = #expect(throws: KilnStoreError.self) { try row.decodeStrings("object") }
        #expect(error?.column == "object")
        #expect(error?.postgresType == "jsonb")
    }
}
