import KilnStore
import Testing

/// Building statements from fragments: binds stay binds and every `$n` points at its own value.
@Suite struct SQLQueryTests {
    @Test func interpolatedValuesBecomeNumberedBinds() {
        let q: SQLQuery = """
            SELECT * FROM t WHERE a = \("x'; DROP TABLE t; --") AND b = \(Int64(7)) AND c = \(true)
            AND d = \(nil as String?)
            """
        #expect(q.sql == "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3\nAND d = $4")
        #expect(q.binds == ["x'; DROP TABLE t; --", "7", "true", nil])
    }

    @Test func plusRenumbersTheRightHandSide() {
        let a: SQLQuery = "SELECT 1 WHERE a = \("x") AND b = \("y")"
        let b: SQLQuery = " AND c = \("z") OR c = $1::text"
        let sum = a + b
        #expect(sum.sql == "SELECT 1 WHERE a = $1 AND b = $2 AND c = $3 OR c = $3::text")
        #expect(sum.binds == ["x", "y", "z"])
        var c = b
        c += a
        #expect(c.sql == " AND c = $1 OR c = $1::text" + "SELECT 1 WHERE a = $2 AND b = $3")
        #expect(c.binds == ["z", "x", "y"])
    }

    @Test func renumberingLeavesQuotedTextAndDoubleDigitsRight() {
        var q: SQLQuery = ""
        for i in 0..<10 { q += "\(String(i))," }
        q += "'$1 stays' \("last") \"$2\""
        #expect(q.sql == "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'$1 stays' $11 \"$2\"")
        #expect(q.binds.count == 11)
        let twelve = q + " AND x = \("y")"
        #expect(twelve.sql.hasSuffix("AND x = $12"))
    }

    @Test func inlineFragmentsAreRenumberedWhereTheyLand() {
        let condition: SQLQuery = "owner = \("alice")"
        let q: SQLQuery =
            "SELECT id FROM composes WHERE state = \(Int(2)) AND \(inline: condition) LIMIT \(literal: 20)"
        #expect(q.sql == "SELECT id FROM composes WHERE state = $1 AND owner = $2 LIMIT 20")
        #expect(q.binds == ["2", "alice"])
    }

    @Test func joinedAndWhereAssembleConditions() {
        let conditions: [SQLQuery] = ["a = \("1")", "b = \("2")", "c IS NULL"]
        let joined = conditions.joined(separator: " AND ")
        #expect(joined.sql == "a = $1 AND b = $2 AND c IS NULL")
        #expect(joined.binds == ["1", "2"])
        let q = "SELECT count(*) FROM t" + SQLQuery.where(conditions)
        #expect(q.sql == "SELECT count(*) FROM t WHERE a = $1 AND b = $2 AND c IS NULL")
        #expect(SQLQuery.where([]).sql == "")
        #expect(([] as [SQLQuery]).joined(separator: ", ") == "")
    }

    @Test func identifiersAreQuoted() {
        let q: SQLQuery = "SELECT \(identifier: "time_done"), \(identifier: "we\"ird") FROM t"
        #expect(q.sql == #"SELECT "time_done", "we""ird" FROM t"#)
        #expect(q.binds.isEmpty)
    }
}
