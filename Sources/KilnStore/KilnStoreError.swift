/// Every failure of the store. `description` is generic (no SQL, no server text); `debugDescription` has it all.
public struct KilnStoreError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Value: Sendable, Hashable { case connection, query, decode, migration }
        let value: Value
        /// The server could not be reached or the connection broke.
        public static let connection = Code(value: .connection)
        /// The server refused a statement.
        public static let query = Code(value: .query)
        /// A value could not be read as the expected Swift type.
        public static let decode = Code(value: .decode)
        /// A migration file could not be read or applied.
        public static let migration = Code(value: .migration)
        public var description: String { "\(value)" }
    }

    public var code: Code
    /// The server's or libpq's message.
    public var serverMessage: String
    /// SQLSTATE, when the server sent one.
    public var sqlState: String?
    public var query: String?
    /// For `.decode`: the column read, its PostgreSQL type (when the column exists) and the Swift type asked for.
    public var column: String?
    public var postgresType: String?
    public var swiftType: String?
    public var file: String
    public var line: Int

    init(
        _ code: Code, _ serverMessage: String, sqlState: String? = nil, query: String? = nil, column: String? = nil,
        postgresType: String? = nil, swiftType: String? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.serverMessage = serverMessage
        self.sqlState = sqlState
        self.query = query
        self.column = column
        self.postgresType = postgresType
        self.swiftType = swiftType
        self.file = file
        self.line = line
    }

    /// True for failures that mean the connection is gone (the statement may not have run).
    public var isConnectionFailure: Bool {
        code == .connection || (sqlState?.hasPrefix("08") ?? false) || sqlState == "57P01"
    }

    /// unique_violation, foreign_key_violation and friends.
    public var isConstraintViolation: Bool { sqlState?.hasPrefix("23") ?? false }

    public var description: String { "KilnStoreError(\(code)\(sqlState.map { ", sqlstate: \($0)" } ?? ""))" }

    public var debugDescription: String {
        var decoding = ""
        if let column { decoding += ", column: \(column)" }
        if let postgresType { decoding += ", postgres type: \(postgresType)" }
        if let swiftType { decoding += ", swift type: \(swiftType)" }
        return "KilnStoreError(code: \(code), sqlstate: \(sqlState ?? "-"), message: \(serverMessage)\(decoding), "
            + "query: \(query ?? "-"), at: \(file):\(line))"
    }
}
