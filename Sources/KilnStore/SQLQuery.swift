/// A statement with `$n` parameters. Interpolated values become binds, never SQL text.
public struct SQLQuery: Sendable, ExpressibleByStringInterpolation {
    public var sql: String
    public var binds: [String?]

    public init(stringLiteral value: String) {
        sql = value
        binds = []
    }

    /// Raw SQL text, for statements assembled from trusted fragments (never from input).
    public init(unsafeSQL sql: String, binds: [String?] = []) {
        self.sql = sql
        self.binds = binds
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
    }

    /// Adds a bind and returns its `$n` placeholder, for statements built in steps.
    public mutating func bind(_ value: String?) -> String {
        binds.append(value)
        return "$\(binds.count)"
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
    static func integers(_ values: some Sequence<Int64>) -> String { "{" + values.map { String($0) }.joined(separator: ",") + "}" }
}
