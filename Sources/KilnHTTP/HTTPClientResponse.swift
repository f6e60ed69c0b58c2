/// One HTTP response: the final one when redirects were followed.
public struct HTTPClientResponse: Sendable, Equatable {
    public var status: Int
    /// Header fields keyed by lowercased name; repeated fields are joined with ", " in arrival order.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of a header field, any case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body decoded as UTF-8 (invalid sequences repaired).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public var isSuccess: Bool { (200..<300).contains(status) }
}
