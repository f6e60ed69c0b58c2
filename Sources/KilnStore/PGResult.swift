internal import CLibPQ

/// The rows of one statement. Owns the PGresult and frees it; values are copied out on access, by column name
/// (`rows`, `PGRow.decode`).
public final class PGResult {
    private let handle: OpaquePointer
    public let rowCount: Int
    public let columnCount: Int
    let query: String
    /// The select list's names, read on first use, each with the position of the first column of that name (a name
    /// given twice in the select list finds the first).
    private lazy var columns: [(name: String, first: Int)] = {
        var first: [String: Int] = [:]
        return (0..<columnCount).map { index in
            let name = columnName(index)
            if first[name] == nil { first[name] = index }
            return (name, first[name] ?? index)
        }
    }()
    /// Where the last lookup matched. Rows are decoded column after column in the same order, so the next name asked
    /// for is almost always the next column: found with one comparison, without hashing the name.
    private var cursor = 0

    init(handle: OpaquePointer, query: String) {
        self.handle = handle
        self.query = query
        rowCount = Int(PQntuples(handle))
        columnCount = Int(PQnfields(handle))
    }

    deinit { PQclear(handle) }

    /// The number of rows an INSERT/UPDATE/DELETE touched.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    /// Every row, in order.
    public var rows: [PGRow] { (0..<rowCount).map { PGRow(result: self, index: $0) } }

    /// The first row, nil when there is none.
    public var first: PGRow? { rowCount == 0 ? nil : PGRow(result: self, index: 0) }

    /// `column` of the first row, for statements that answer one value (`SELECT count(*) AS count ...`); no row
    /// is a decode error.
    public func value<T: PGDecodable>(
        _ column: String, as type: T.Type = T.self, file: String = #fileID, line: Int = #line
    ) throws(KilnStoreError) -> T {
        try firstRow(for: column, "\(T.self)", file, line).decode(column, as: type, file: file, line: line)
    }

    /// `column` of the first row, nil for NULL; no row is a decode error.
    public func value<T: PGDecodable>(
        _ column: String, as type: T?.Type, file: String = #fileID, line: Int = #line
    ) throws(KilnStoreError) -> T? {
        try firstRow(for: column, "\(T.self)", file, line).decode(column, as: type, file: file, line: line)
    }

    private func firstRow(
        for column: String, _ swiftType: String, _ file: String, _ line: Int
    ) throws(KilnStoreError) -> PGRow {
        guard let first else {
            throw KilnStoreError(
                .decode, "no row to read column \(column) from", query: query, column: column, swiftType: swiftType,
                file: file, line: line)
        }
        return first
    }

    public var columnNames: [String] { (0..<columnCount).map(columnName) }

    func columnName(_ column: Int) -> String { String(cString: PQfname(handle, Int32(column))) }

    func position(of name: String) -> Int? {
        let count = columns.count
        guard count > 0 else { return nil }
        var index = cursor < count ? cursor : 0
        for _ in 0..<count {
            if columns[index].name == name {
                cursor = index + 1
                return columns[index].first
            }
            index = index + 1 < count ? index + 1 : 0
        }
        return nil
    }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(handle, Int32(row), Int32(column)) == 1 }

    func text(_ row: Int, _ column: Int) -> String? {
        guard !isNull(row, column), let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        return String(cString: value)
    }

    /// The PostgreSQL type of a column, by name for the common ones (`int8`, `varchar`, ...), else `oid N`.
    func typeName(_ column: Int) -> String {
        let oid = PQftype(handle, Int32(column))
        return PGTypeNames.name(oid: UInt32(oid))
    }
}

enum PGTypeNames {
    static let names: [UInt32: String] = [
        16: "bool", 20: "int8", 21: "int2", 23: "int4", 25: "text", 114: "json", 700: "float4", 701: "float8",
        1009: "text[]", 1015: "varchar[]", 1016: "int8[]", 1043: "varchar", 1082: "date", 1114: "timestamp",
        1184: "timestamptz", 1186: "interval", 1700: "numeric", 2950: "uuid", 3802: "jsonb",
    ]

    static func name(oid: UInt32) -> String { names[oid] ?? "oid \(oid)" }
}
