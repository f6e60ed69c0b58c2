/// Failures of the FastCGI transport.
public struct FastCGIError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var errno: Int32
    init(_ reason: String, errno: Int32 = 0) {
        self.reason = reason
        self.errno = errno
    }
    public var description: String {
        errno == 0 ? "FastCGIError(\(reason))" : "FastCGIError(\(reason), errno \(errno))"
    }
}
