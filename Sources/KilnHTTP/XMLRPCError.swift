/// A `<fault>` answer: the server ran the call and reported an error. Koji codes: 1000 GenericError,
/// 1019 ParameterError, 1014 ServerOffline, 1 a non-Koji exception (see `KojiFaultCode`).
public struct XMLRPCFault: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "XMLRPCFault(\(code)): \(message)" }
}

/// The bytes are not a well-formed XML-RPC message, or a value does not have the shape the caller needs.
public struct XMLRPCError: Error, Sendable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Value: Sendable, Hashable { case malformed, unexpectedValue }
        let value: Value
        /// Not XML, or XML that is not a methodCall/methodResponse; `offset` is where reading stopped.
        public static let malformed = Code(value: .malformed)
        /// Well-formed, but a value is missing or has another type than expected (e.g. a Koji field).
        public static let unexpectedValue = Code(value: .unexpectedValue)
        public var description: String { "\(value)" }
    }

    public var code: Code
    public var message: String
    /// Byte offset into the document for `.malformed`.
    public var offset: Int?

    init(_ code: Code, _ message: String, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String {
        "XMLRPCError(\(code)): \(message)\(offset.map { " at byte \($0)" } ?? "")"
    }
}
