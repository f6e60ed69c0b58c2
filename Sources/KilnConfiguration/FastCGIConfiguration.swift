/// How the responder listens and works. No I/O here; the executable fills it in.
public struct FastCGIConfiguration: Sendable {
    /// A unix socket path to listen on; nil means the socket httpd/systemd passed (fd 0, or fd 3 with LISTEN_FDS).
    public var socketPath: String?
    /// File mode of a socket Kiln creates (0o660: httpd's group must be able to connect).
    public var socketMode: UInt32 = 0o660
    public var backlog: Int32 = 128
    public var workerCount: Int = 8
    /// Request bodies over this many bytes are refused with 413 unread.
    public var maxBodyBytes: Int = 1 << 20
    /// How long shutdown waits for requests in flight.
    public var shutdownGraceSeconds: Int = 10

    public init(socketPath: String? = nil, workerCount: Int = 8, maxBodyBytes: Int = 1 << 20) {
        self.socketPath = socketPath
        self.workerCount = workerCount
        self.maxBodyBytes = maxBodyBytes
    }
}
