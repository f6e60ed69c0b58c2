/// One message as it goes on the wire: routing key, body and the basic properties Kiln sets.
public struct AMQPMessage: Sendable, Equatable {
    /// A value in the headers table. Kiln sends only these three AMQP field kinds (long string, signed 32-bit
    /// integer, boolean), which pika and fedora-messaging decode to `str`, `int` and `bool`.
    public enum HeaderValue: Sendable, Equatable {
        case string(String)
        case int(Int32)
        case bool(Bool)
    }

    public var routingKey: String
    public var body: [UInt8]
    public var messageID: String
    public var contentType = "application/json"
    public var contentEncoding = "utf-8"
    /// delivery_mode 2: the broker writes the message to disk in durable queues.
    public var persistent = true
    /// In order; names are unique.
    public var headers: [(name: String, value: HeaderValue)]

    public init(routingKey: String, body: [UInt8], messageID: String, headers: [(name: String, value: HeaderValue)]) {
        self.routingKey = routingKey
        self.body = body
        self.messageID = messageID
        self.headers = headers
    }

    public static func == (a: AMQPMessage, b: AMQPMessage) -> Bool {
        a.routingKey == b.routingKey && a.body == b.body && a.messageID == b.messageID && a.contentType == b.contentType
            && a.contentEncoding == b.contentEncoding && a.persistent == b.persistent
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }

    /// The value of header `name`, if set.
    public func header(_ name: String) -> HeaderValue? { headers.first { $0.name == name }?.value }
}
