/// A request Kiln refuses, with the ODCS message. KilnAPI maps the code to an HTTP status.
public struct ComposeError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Value: Sendable, Hashable { case invalid, unauthorized, forbidden, notFound, conflict }
        let value: Value
        /// 400: the request itself is wrong.
        public static let invalid = Code(value: .invalid)
        /// 401: no identity where one is needed.
        public static let unauthorized = Code(value: .unauthorized)
        /// 403: identity without the role, scope or permission.
        public static let forbidden = Code(value: .forbidden)
        /// 404: no such thing.
        public static let notFound = Code(value: .notFound)
        /// 409: conflicts with the current state.
        public static let conflict = Code(value: .conflict)
        public var description: String { "\(value)" }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func invalid(_ message: String) -> ComposeError { .init(.invalid, message) }
    public static func forbidden(_ message: String) -> ComposeError { .init(.forbidden, message) }
    public static func notFound(_ message: String) -> ComposeError { .init(.notFound, message) }

    public var description: String { "\(code): \(message)" }
}
