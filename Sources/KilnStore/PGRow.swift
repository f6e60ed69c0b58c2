internal import KilnCore

/// One row of a `PGResult`, read by column name with typed decoding:
/// `try row.decode("id", as: Int64.self)`, `try row.decode("label", as: String?.self)`.
/// A failure throws a `.decode` `KilnStoreError` naming the column, its PostgreSQL type and the Swift type.
public struct PGRow {
    let result: PGResult
    public let index: Int

    /// Whether the select list has `column`.
    public func contains(_ column: String) -> Bool { result.position(of: column) != nil }

    /// Whether `column` is NULL in this row; a missing column is an error.
    public func isNull(_ column: String, file: String = #fileID, line: Int = #line) throws(KilnStoreError) -> Bool {
        result.isNull(index, try position(column, swiftType: "NULL check", file: file, line: line))
    }

    /// `column` as a `T`; NULL is an error.
    public func decode<T: PGDecodable>(
        _ column: String, as type: T.Type = T.self, file: String = #fileID, line: Int = #line
    ) throws(KilnStoreError) -> T {
        guard let value = try decode(column, as: T?.self, file: file, line: line) else {
            let position = try position(column, swiftType: "\(T.self)", file: file, line: line)
            throw failure(column, position, "\(T.self)", "is NULL", file: file, line: line)
        }
        return value
    }

    /// `column` as a `T`, nil for NULL.
    public func decode<T: PGDecodable>(
        _ column: String, as type: T?.Type, file: String = #fileID, line: Int = #line
    ) throws(KilnStoreError) -> T? {
        let position = try position(column, swiftType: "\(T.self)", file: file, line: line)
        guard let text = result.text(index, position) else { return nil }
        guard let value = T.decode(pgText: text) else {
            throw failure(column, position, "\(T.self)", "cannot be read as \(T.self)", file: file, line: line)
        }
        return value
    }

    private func position(_ column: String, swiftType: String, file: String, line: Int) throws(KilnStoreError) -> Int {
        guard let position = result.position(of: column) else {
            throw KilnStoreError(
                .decode,
                "column \(column) is not in the result (columns: \(result.columnNames.joined(separator: ", ")))",
                query: result.query, column: column, swiftType: swiftType, file: file, line: line)
        }
        return position
    }

    private func failure(
        _ column: String, _ position: Int, _ swiftType: String, _ problem: String, file: String, line: Int
    ) -> KilnStoreError {
        let postgresType = result.typeName(position)
        return KilnStoreError(
            .decode, "column \(column) (postgres type \(postgresType), row \(index)) \(problem)", query: result.query,
            column: column, postgresType: postgresType, swiftType: swiftType, file: file, line: line)
    }
}

extension PGRow {
    /// A `json` / `jsonb` (or its text) column holding an array; its string elements, in order.
    public func decodeStrings(
        _ column: String, file: String = #fileID, line: Int = #line
    ) throws(KilnStoreError) -> [String] {
        let text = try decode(column, as: String.self, file: file, line: line)
        guard let items = try? JSONParser.parse(text).arrayValue else {
            let position = result.position(of: column) ?? 0
            throw KilnStoreError(
                .decode, "column \(column) is not a JSON array", query: result.query, column: column,
                postgresType: result.typeName(position), swiftType: "[String]", file: file, line: line)
        }
        return items.compactMap(\.stringValue)
    }
}
