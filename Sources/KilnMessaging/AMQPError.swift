/// Every failure of the AMQP publisher. `description` says what went wrong in words an operator can act on and
/// never holds the password; `debugDescription` adds the library's status and where it was thrown.
public struct AMQPError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Value: Sendable, Hashable { case invalidURL, unreachable, tls, login, refused, connectionLost, timeout }
        let value: Value
        /// `amqp_url` cannot be read.
        public static let invalidURL = Code(value: .invalidURL)
        /// No TCP connection to the broker (refused, no route, name not found, connect timeout).
        public static let unreachable = Code(value: .unreachable)
        /// The TLS set-up failed: a certificate or key file, or the handshake.
        public static let tls = Code(value: .tls)
        /// The broker did not accept the user name and password (or the virtual host).
        public static let login = Code(value: .login)
        /// The broker closed the channel or connection with a reply code (e.g. 404 for a missing exchange).
        public static let refused = Code(value: .refused)
        /// The connection broke while publishing or waiting for confirms.
        public static let connectionLost = Code(value: .connectionLost)
        /// The broker did not answer (confirm) in time.
        public static let timeout = Code(value: .timeout)
        public var description: String { "\(value)" }
    }

    public var code: Code
    public var message: String
    /// librabbitmq's status (amqp_status_enum) or the broker's reply code, when there was one.
    public var status: Int?
    public var file: String
    public var line: Int

    init(_ code: Code, _ message: String, status: Int? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.status = status
        self.file = file
        self.line = line
    }

    public var description: String { message }

    public var debugDescription: String {
        "AMQPError(code: \(code), status: \(status.map { "\($0)" } ?? "-"), message: \(message), at: \(file):\(line))"
    }
}

extension AMQPError {
    /// The broker answered basic.nack: it could not take the message (an internal error on its side).
    public static let nacked = AMQPError(.refused, "the broker refused the message (basic.nack)")
}
