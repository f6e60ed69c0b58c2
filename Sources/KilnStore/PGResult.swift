internal import CLibPQ

/// The rows of one statement. Owns the PGresult and frees it; values are copied out on access.
public final class PGResult {
    private let handle: OpaquePointer
    public let rowCount: Int
    public let columnCount: Int
    let query: String

    init(handle: OpaquePointer, query: String) {
        self.handle = handle
        self.query = query
        rowCount = Int(PQntuples(handle))
        columnCount = Int(PQnfields(handle))
    }

    deinit { PQclear(handle) }

    /// The number of rows an INSERT/UPDATE/DELETE touched.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    public func columnName(_ column: Int) -> String { String(cString: PQfname(handle, Int32(column))) }

    public func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(handle, Int32(row), Int32(column)) == 1 }

    public func string(_ row: Int, _ column: Int) -> String? {
        guard !isNull(row, column) else { return nil }
        guard let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        return String(cString: value)
    }

    public func int64(_ row: Int, _ column: Int) throws(KilnStoreError) -> Int64? {
        guard let text = string(row, column) else { return nil }
        guard let value = Int64(text) else { throw decodeError(row, column, "Int64") }
        return value
    }

    public func requiredString(_ row: Int, _ column: Int) throws(KilnStoreError) -> String {
        guard let value = string(row, column) else { throw decodeError(row, column, "String") }
        return value
    }

    public func requiredInt64(_ row: Int, _ column: Int) throws(KilnStoreError) -> Int64 {
        guard let value = try int64(row, column) else { throw decodeError(row, column, "Int64") }
        return value
    }

    public func bool(_ row: Int, _ column: Int) -> Bool? { string(row, column).map { $0 == "t" } }

    private func decodeError(_ row: Int, _ column: Int, _ type: String) -> KilnStoreError {
        let oid = PQftype(handle, Int32(column))
        return KilnStoreError(
            .decode, "column \(columnName(column)) (row \(row), postgres type oid \(oid)) is not a \(type)", query: query)
    }
}
