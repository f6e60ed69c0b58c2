/// A statement with `$n` parameters. Interpolated values become binds, never SQL text. Statements are built from
/// fragments: `\(inline: other)` and `+` / `+=` put one query inside another, renumbering its `$n`;
/// `joined(separator:)` and `SQLQuery.where(_:)` assemble lists and conditions. Text that is not a bind comes only
/// from string literals in the code, from quoted identifiers (`\(identifier: name)`) and from integers written
/// inline (`\(literal: limit)`).
public struct SQLQuery: Sendable, Equatable, ExpressibleByStringInterpolation {
    public private(set) var sql: String
    public private(set) var binds: [String?]

    public init(stringLiteral value: String) {
        sql = value
        binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        sql = stringInterpolation.sql
        binds = stringInterpolation.binds
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [String?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) { sql += literal }

        public mutating func appendInterpolation(_ value: String?) {
            binds.append(value)
            sql += "$\(binds.count)"
        }

        public mutating func appendInterpolation<I: FixedWidthInteger>(_ value: I?) {
            appendInterpolation(value.map { String($0) })
        }

        public mutating func appendInterpolation(_ value: Bool) {
            appendInterpolation(value ? "true" : "false")
        }

        /// Another query's text, its binds renumbered after these.
        public mutating func appendInterpolation(inline fragment: SQLQuery) {
            sql += SQLQuery.renumbered(fragment.sql, by: binds.count)
            binds += fragment.binds
        }

        /// An integer written into the text (LIMIT, OFFSET, enum values the planner should see).
        public mutating func appendInterpolation<I: FixedWidthInteger>(literal value: I) { sql += String(value) }

        /// A double-quoted identifier (a column or table name from the code's own enums).
        public mutating func appendInterpolation(identifier name: String) {
            sql += "\"" + name.replacingAll("\"", with: "\"\"") + "\""
        }
    }

    /// `lhs` followed by `rhs`, whose `$n` are renumbered after `lhs`'s binds.
    public static func + (lhs: SQLQuery, rhs: SQLQuery) -> SQLQuery {
        var out = lhs
        out += rhs
        return out
    }

    public static func += (lhs: inout SQLQuery, rhs: SQLQuery) {
        lhs.sql += renumbered(rhs.sql, by: lhs.binds.count)
        lhs.binds += rhs.binds
    }

    /// ` WHERE a AND b ...` for the conditions given, or nothing when there are none.
    public static func `where`(_ conditions: [SQLQuery]) -> SQLQuery {
        conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    }

    /// `$n` placeholders outside quoted text, moved up by `offset`.
    static func renumbered(_ sql: String, by offset: Int) -> String {
        guard offset > 0, sql.contains("$") else { return sql }
        var out = ""
        out.reserveCapacity(sql.utf8.count + 8)
        var quote: Character?
        var chars = sql[...]
        while let ch = chars.popFirst() {
            if let q = quote {
                out.append(ch)
                if ch == q { quote = nil }
                continue
            }
            if ch == "'" || ch == "\"" {
                quote = ch
                out.append(ch)
                continue
            }
            guard ch == "$", let next = chars.first, next.isASCII, next.isNumber else {
                out.append(ch)
                continue
            }
            let digits = chars.prefix { $0.isASCII && $0.isNumber }
            chars = chars.dropFirst(digits.count)
            out += "$\(Int(digits)! + offset)"
        }
        return out
    }
}

extension Sequence<SQLQuery> {
    /// The queries one after another with `separator` between them, binds renumbered in order.
    public func joined(separator: SQLQuery) -> SQLQuery {
        var out: SQLQuery = ""
        var first = true
        for query in self {
            if !first { out += separator }
            out += query
            first = false
        }
        return out
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}

/// PostgreSQL array literals (`{"a","b",NULL}`) for binding whole columns as one text parameter.
enum PGArray {
    static func text(_ values: [String?]) -> String {
        var out = "{"
        out.reserveCapacity(values.count * 16)
        for (i, v) in values.enumerated() {
            if i > 0 { out += "," }
            guard let v else {
                out += "NULL"
                continue
            }
            out += "\""
            for ch in v.unicodeScalars {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.unicodeScalars.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }

    static func text(_ values: [String]) -> String { text(values.map(Optional.some)) }

    /// `{1,2,3}`, for a `$n::bigint[]` bind.
    static func integers(_ values: some Sequence<Int64>) -> String {
        "{" + values.map { String($0) }.joined(separator: ",") + "}"
    }
}
