internal import CLibPQ

/// The rows of one statement. Owns the PGresult and frees it; values are copied out on access, by column name
/// (`rows`, `PGRow.decode`).
public final class PGResult {
    private let handle: OpaquePointer
    public let rowCount: Int
    public let columnCount: Int
    let query: String
    /// Whether two columns of the select list share a name (compared by a hash of their bytes; a collision only
    /// sends lookups the slower, exact way). Then a name finds the first column of that name.
    private lazy var hasRepeatedNames: Bool = {
        var hashes: [UInt64] = (0..<columnCount).map { column in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            var byte = PQfname(handle, Int32(column))
            while let b = byte, b.pointee != 0 {
                hash = (hash ^ UInt64(UInt8(bitPattern: b.pointee))) &* 0x100_0000_01b3
                byte = b + 1
            }
            return hash
        }
        hashes.sort()
        return zip(hashes, hashes.dropFirst()).contains { $0 == $1 }
    }()
    /// The first position of each name, for a select list with repeated names.
    private lazy var firstPositions: [String: Int] = {
        var out: [String: Int] = [:]
        for column in (0..<columnCount).reversed() { out[columnName(column)] = column }
        return out
    }()
    /// Where the last lookup matched. Rows are decoded column after column in the same order, so the next name asked
    /// for is almost always the next column: one byte comparison with libpq's name, no string made, nothing hashed.
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
        guard columnCount > 0 else { return nil }
        if hasRepeatedNames { return firstPositions[name] }
        var name = name
        return name.withUTF8 { bytes in
            var column = cursor < columnCount ? cursor : 0
            for _ in 0..<columnCount {
                if columnNamed(column, bytes) {
                    cursor = column + 1
                    return column
                }
                column = column + 1 < columnCount ? column + 1 : 0
            }
            return nil
        }
    }

    /// Whether column `column` is called `name` (its UTF-8 bytes), compared in place with libpq's C string.
    private func columnNamed(_ column: Int, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let field = PQfname(handle, Int32(column)) else { return false }
        // A mismatch (including the field's terminating NUL) stops the walk before it could leave the field.
        for (offset, byte) in name.enumerated() where byte == 0 || UInt8(bitPattern: field[offset]) != byte {
            return false
        }
        return field[name.count] == 0
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
