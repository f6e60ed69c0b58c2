internal import CRabbitMQ
public import Logging

#if canImport(Glibc)
    internal import Glibc
#endif

/// One AMQP 0-9-1 connection with one channel in publisher-confirm mode. Synchronous and blocking: used by one
/// thread at a time. `publish` sends a batch and waits until the broker has confirmed (acked or nacked) every
/// message in it; a message counts as delivered only when acked.
///
/// Any error leaves the publisher closed; connect a new one. `close()` before dropping it (`deinit` closes too).
public final class AMQPPublisher {
    private var state: amqp_connection_state_t?
    private let channel: amqp_channel_t = 1
    private let exchange: String
    private let confirmTimeoutSeconds: Int
    /// The delivery tag the broker gives the next message published on the channel (1 after confirm.select).
    private var nextDeliveryTag: UInt64 = 1
    public let url: AMQPURL

    private init(state: amqp_connection_state_t, url: AMQPURL, configuration: AMQPConfiguration) {
        self.state = state
        self.url = url
        exchange = configuration.exchange
        confirmTimeoutSeconds = configuration.confirmTimeoutSeconds
    }

    deinit { close() }

    /// Connects, logs in, opens channel 1, turns on publisher confirms and declares the exchange when it is not a
    /// built-in `amq.*` one.
    @available(*, noasync, message: "librabbitmq blocks; call from a dedicated thread")
    public static func connect(_ configuration: AMQPConfiguration, logger: Logger) throws(AMQPError) -> AMQPPublisher {
        let url = try AMQPURL(configuration.url)
        // A write to a socket the broker closed must fail with EPIPE, not end the process.
        signal(SIGPIPE, SIG_IGN)
        guard let state = amqp_new_connection() else { throw AMQPError(.unreachable, "out of memory") }
        let publisher = AMQPPublisher(state: state, url: url, configuration: configuration)
        try publisher.open(configuration, logger: logger)
        return publisher
    }

    public var isOpen: Bool { state != nil }

    /// Closes the channel and connection politely when they are still healthy, and frees everything.
    public func close() {
        guard let state else { return }
        self.state = nil
        if healthy {
            _ = amqp_channel_close(state, channel, CRabbitMQ_REPLY_SUCCESS)
            _ = amqp_connection_close(state, CRabbitMQ_REPLY_SUCCESS)
        }
        amqp_destroy_connection(state)
    }

    /// False once an error happened: then no close handshake is attempted (it would block on a dead socket).
    private var healthy = false

    private func open(_ configuration: AMQPConfiguration, logger: Logger) throws(AMQPError) {
        guard let state else { throw AMQPError(.connectionLost, "the connection is closed") }
        let target = "\(url.host):\(url.port)"
        let socket: OpaquePointer?
        if url.tls {
            socket = amqp_ssl_socket_new(state)
            guard let socket else { throw fail(AMQPError(.tls, "cannot create a TLS socket for \(target)")) }
            let ca = configuration.caCertificateFile ?? AMQPConfiguration.systemCABundle
            var rc = amqp_ssl_socket_set_cacert(socket, ca)
            guard rc == AMQP_STATUS_OK.rawValue else {
                throw fail(
                    AMQPError(.tls, "cannot load the CA certificates in \(ca): \(Self.text(rc))", status: Int(rc)))
            }
            if let cert = configuration.certificateFile, let key = configuration.keyFile {
                rc = amqp_ssl_socket_set_key(socket, cert, key)
                guard rc == AMQP_STATUS_OK.rawValue else {
                    throw fail(
                        AMQPError(
                            .tls, "cannot load the client certificate \(cert) and key \(key): \(Self.text(rc))",
                            status: Int(rc)))
                }
            }
            amqp_ssl_socket_set_verify_peer(socket, 1)
            amqp_ssl_socket_set_verify_hostname(socket, 1)
        } else {
            socket = amqp_tcp_socket_new(state)
            guard socket != nil else { throw fail(AMQPError(.unreachable, "cannot create a socket for \(target)")) }
        }
        var timeout = timeval(tv_sec: configuration.connectTimeoutSeconds, tv_usec: 0)
        amqp_set_handshake_timeout(state, &timeout)
        amqp_set_rpc_timeout(state, &timeout)
        let rc = amqp_socket_open_noblock(socket, url.host, Int32(url.port), &timeout)
        guard rc == AMQP_STATUS_OK.rawValue else {
            let code: AMQPError.Code = url.tls && Self.isTLSStatus(rc) ? .tls : .unreachable
            throw fail(
                AMQPError(
                    code, "cannot connect to the AMQP broker at \(target) (is it running?): \(Self.text(rc))",
                    status: Int(rc)))
        }
        let external = url.tls && configuration.certificateFile != nil && !configuration.url.contains("@")
        let login =
            external
            ? CRabbitMQ_login_external(state, url.virtualHost, 131_072, 0, url.user)
            : CRabbitMQ_login_plain(state, url.virtualHost, 131_072, 0, url.user, url.password)
        try check(
            login, .login,
            "the AMQP broker at \(target) refused the login of user \(url.user) to virtual host \(url.virtualHost)")
        amqp_channel_open(state, channel)
        try check(amqp_get_rpc_reply(state), .refused, "cannot open a channel on the AMQP broker at \(target)")
        amqp_confirm_select(state, channel)
        try check(amqp_get_rpc_reply(state), .refused, "the AMQP broker at \(target) refused publisher confirms")
        healthy = true
        if configuration.exchangeNeedsDeclaring {
            let empty = amqp_table_t(num_entries: 0, entries: nil)
            exchange.withBytes { name in
                "topic".withBytes { type in
                    _ = amqp_exchange_declare(state, channel, name, type, 0, 1, 0, 0, empty)
                }
            }
            try check(amqp_get_rpc_reply(state), .refused, "cannot declare the topic exchange \(exchange)")
        }
        timeout = timeval(tv_sec: configuration.confirmTimeoutSeconds, tv_usec: 0)
        amqp_set_rpc_timeout(state, &timeout)
        logger.debug("amqp connected", metadata: ["kiln.amqp.url": "\(url)", "kiln.amqp.exchange": "\(exchange)"])
    }

    /// Publishes `messages` in order and waits for the broker's confirms. `confirmations` records each message's
    /// outcome as it arrives, so when this throws (connection lost, timeout) the caller still knows which messages
    /// the broker had acked before the failure.
    @available(*, noasync, message: "librabbitmq blocks; call from a dedicated thread")
    public func publish(_ messages: [AMQPMessage], confirmations: inout Confirmations) throws(AMQPError) {
        guard let state, healthy else { throw AMQPError(.connectionLost, "the AMQP connection is closed") }
        precondition(confirmations.outcomes.count == messages.count, "one confirmation slot per message")
        let firstTag = nextDeliveryTag
        for message in messages {
            let rc = send(message, on: state)
            guard rc == AMQP_STATUS_OK.rawValue else {
                throw lost(while: "publishing", status: rc)
            }
            nextDeliveryTag += 1
        }
        try awaitConfirms(from: firstTag, count: messages.count, into: &confirmations, state: state)
    }

    private func send(_ message: AMQPMessage, on state: amqp_connection_state_t) -> Int32 {
        var arena = ByteArena()
        defer { arena.free() }
        var entries = message.headers.map { header -> amqp_table_entry_t in
            let key = arena.bytes(header.name)
            switch header.value {
            case .string(let s): return CRabbitMQ_string_entry(key, arena.bytes(s))
            case .int(let i): return CRabbitMQ_int_entry(key, i)
            case .bool(let b): return CRabbitMQ_bool_entry(key, b ? 1 : 0)
            }
        }
        return entries.withUnsafeMutableBufferPointer { table in
            var properties = amqp_basic_properties_t()
            properties._flags = CRabbitMQ_BASIC_PROPERTY_FLAGS
            properties.content_type = arena.bytes(message.contentType)
            properties.content_encoding = arena.bytes(message.contentEncoding)
            properties.delivery_mode = message.persistent ? 2 : 1
            properties.message_id = arena.bytes(message.messageID)
            properties.headers = amqp_table_t(num_entries: Int32(table.count), entries: table.baseAddress)
            let body = arena.bytes(message.body)
            return amqp_basic_publish(
                state, channel, arena.bytes(exchange), arena.bytes(message.routingKey), 0, 0, &properties, body)
        }
    }

    private func awaitConfirms(
        from firstTag: UInt64, count: Int, into confirmations: inout Confirmations, state: amqp_connection_state_t
    )
        throws(AMQPError)
    {
        let deadline = Self.now() + Double(confirmTimeoutSeconds)
        func record(_ tag: UInt64, multiple: Bool, _ outcome: Confirmations.Outcome) {
            guard tag >= firstTag else { return }
            confirmations.record(Int(tag - firstTag), multiple: multiple, outcome)
        }
        while count > 0 && confirmations.pendingCount > 0 {
            let remaining = deadline - Self.now()
            guard remaining > 0 else {
                throw fail(
                    AMQPError(
                        .timeout,
                        "the AMQP broker at \(url.host):\(url.port) did not confirm \(confirmations.pendingCount) "
                            + "of \(count) messages within \(confirmTimeoutSeconds) s"))
            }
            var timeout = timeval(
                tv_sec: Int(remaining), tv_usec: Int((remaining - remaining.rounded(.down)) * 1_000_000))
            var frame = amqp_frame_t()
            amqp_maybe_release_buffers(state)
            let rc = amqp_simple_wait_frame_noblock(state, &frame, &timeout)
            if rc == AMQP_STATUS_TIMEOUT.rawValue { continue }
            guard rc == AMQP_STATUS_OK.rawValue else {
                throw lost(while: "waiting for confirms", status: rc)
            }
            guard frame.frame_type == CRabbitMQ_FRAME_METHOD else { continue }
            let method = frame.payload.method
            switch method.id {
            case CRabbitMQ_BASIC_ACK:
                let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                record(ack.delivery_tag, multiple: ack.multiple != 0, .acked)
            case CRabbitMQ_BASIC_NACK:
                let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
                record(nack.delivery_tag, multiple: nack.multiple != 0, .nacked)
            case CRabbitMQ_CHANNEL_CLOSE, CRabbitMQ_CONNECTION_CLOSE:
                let (code, text) = Self.closeReason(method)
                throw fail(
                    AMQPError(
                        .refused,
                        "the AMQP broker closed the "
                            + "\(method.id == CRabbitMQ_CHANNEL_CLOSE ? "channel" : "connection"): \(code) \(text)",
                        status: code))
            default:
                continue
            }
        }
    }

    /// Marks the connection unusable and returns `error` for throwing.
    private func fail(_ error: AMQPError) -> AMQPError {
        healthy = false
        close()
        return error
    }

    /// The connection broke with librabbitmq status `status` while doing `what`: closed, and the error to throw.
    private func lost(while what: String, status: Int32) -> AMQPError {
        let broker = "the AMQP broker at \(url.host):\(url.port)"
        return fail(
            AMQPError(
                .connectionLost, "lost the connection to \(broker) while \(what): \(Self.text(status))",
                status: Int(status)))
    }

    private func check(_ reply: amqp_rpc_reply_t, _ code: AMQPError.Code, _ what: String) throws(AMQPError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            let (status, text) = Self.closeReason(reply.reply)
            throw fail(AMQPError(code == .login ? .login : .refused, "\(what): \(status) \(text)", status: status))
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            let rc = Int32(reply.library_error)
            // RabbitMQ drops the socket on a failed login instead of answering.
            let lost = rc == AMQP_STATUS_CONNECTION_CLOSED.rawValue || rc == AMQP_STATUS_SOCKET_ERROR.rawValue
            let why =
                code == .login && lost
                ? "the broker closed the connection (wrong user, password or virtual host?)" : Self.text(rc)
            throw fail(
                AMQPError(rc == AMQP_STATUS_TIMEOUT.rawValue ? .timeout : code, "\(what): \(why)", status: Int(rc)))
        default:
            throw fail(AMQPError(code, "\(what): no reply"))
        }
    }

    private static func closeReason(_ method: amqp_method_t) -> (Int, String) {
        guard let decoded = method.decoded else { return (0, "") }
        if method.id == CRabbitMQ_CONNECTION_CLOSE {
            let close = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            return (Int(close.reply_code), string(close.reply_text))
        }
        if method.id == CRabbitMQ_CHANNEL_CLOSE {
            let close = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            return (Int(close.reply_code), string(close.reply_text))
        }
        return (0, "unexpected method \(method.id)")
    }

    private static func string(_ bytes: amqp_bytes_t) -> String {
        guard let p = bytes.bytes, bytes.len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: bytes.len), as: UTF8.self)
    }

    /// librabbitmq's text for a status. (errno is not reliable after its calls, so it is left out.)
    private static func text(_ status: Int32) -> String { String(cString: amqp_error_string2(status)) }

    private static func isTLSStatus(_ status: Int32) -> Bool {
        [
            AMQP_STATUS_SSL_ERROR, AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED, AMQP_STATUS_SSL_PEER_VERIFY_FAILED,
            AMQP_STATUS_SSL_CONNECTION_FAILED,
        ].contains { $0.rawValue == status }
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// Copies of Swift strings and byte arrays as `amqp_bytes_t`, alive until `free()`: librabbitmq borrows them only
/// for the duration of one call.
private struct ByteArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    mutating func bytes(_ text: String) -> amqp_bytes_t { bytes(Array(text.utf8)) }

    mutating func bytes(_ data: [UInt8]) -> amqp_bytes_t {
        let block = UnsafeMutableRawPointer.allocate(byteCount: max(1, data.count), alignment: 1)
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress { block.copyMemory(from: base, byteCount: raw.count) }
        }
        blocks.append(block)
        return amqp_bytes_t(len: data.count, bytes: block)
    }

    func free() { for b in blocks { b.deallocate() } }
}

extension String {
    fileprivate func withBytes<R>(_ body: (amqp_bytes_t) -> R) -> R {
        var copy = self
        return copy.withUTF8 { buffer in
            body(amqp_bytes_t(len: buffer.count, bytes: UnsafeMutableRawPointer(mutating: buffer.baseAddress)))
        }
    }
}
