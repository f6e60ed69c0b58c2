internal import KilnCore

/// An `amqp://user:password@host:port/vhost` or `amqps://...` URL, as pika and fedora-messaging read it: the
/// user name, password and vhost are percent-decoded (`%2F` is the default vhost `/`), an empty path is `/`, the
/// port defaults to 5672 (5671 for amqps) and the user to guest/guest. Query parameters (pika's
/// `connection_attempts`, `heartbeat`, ...) are accepted and ignored.
public struct AMQPURL: Sendable, Equatable, CustomStringConvertible {
    public var tls: Bool
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String

    public init(_ text: String) throws(AMQPError) {
        func invalid(_ why: String) -> AMQPError { AMQPError(.invalidURL, "amqp_url is not a valid AMQP URL: \(why)") }
        var rest = Substring(text)
        if rest.hasPrefix("amqps://") {
            tls = true
            rest = rest.dropFirst(8)
        } else if rest.hasPrefix("amqp://") {
            tls = false
            rest = rest.dropFirst(7)
        } else {
            throw invalid("it must start with amqp:// or amqps://")
        }
        if let q = rest.firstIndex(of: "?") { rest = rest[..<q] }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        user = "guest"
        password = "guest"
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let userPart: Substring
            if let colon = credentials.firstIndex(of: ":") {
                userPart = credentials[..<colon]
                guard let p = percentDecodeStrictly(credentials[credentials.index(after: colon)...]) else {
                    throw invalid("bad percent-encoding in the password")
                }
                password = p
            } else {
                userPart = credentials
            }
            guard let u = percentDecodeStrictly(userPart) else {
                throw invalid("bad percent-encoding in the user name")
            }
            user = u
        }
        var hostPart = rest
        var portPart: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw invalid("unclosed [ in the host") }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") {
                portPart = after.dropFirst()
            } else if !after.isEmpty {
                throw invalid("junk after the host")
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        host = hostPart.isEmpty ? "localhost" : String(hostPart)
        if let portPart {
            guard let p = Int(portPart), (1...65535).contains(p) else { throw invalid("the port must be 1 to 65535") }
            port = p
        } else {
            port = tls ? 5671 : 5672
        }
        if path.isEmpty {
            virtualHost = "/"
        } else {
            guard let v = percentDecodeStrictly(path) else { throw invalid("bad percent-encoding in the virtual host") }
            virtualHost = v
        }
        for (name, value) in [
            ("host", host), ("user name", user), ("password", password), ("virtual host", virtualHost),
        ]
        where value.utf8.contains(0) {
            throw invalid("the \(name) contains a NUL byte")
        }
    }

    /// The URL with the password left out, for logs and messages.
    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        let v = virtualHost == "/" ? "%2F" : virtualHost
        return "\(tls ? "amqps" : "amqp")://\(user)@\(h):\(port)/\(v)"
    }
}
