internal import CFastCGI

#if canImport(Glibc)
    internal import Glibc
#endif

/// One libfcgi request slot, owned by one worker thread for its whole life. Never crosses threads.
struct FastCGIRequest: ~Copyable {
    private let storage: UnsafeMutablePointer<FCGX_Request>

    init(listenSocket: Int32) {
        storage = .allocate(capacity: 1)
        storage.initialize(to: FCGX_Request())
        FCGX_InitRequest(storage, listenSocket, 0)
    }

    deinit {
        FCGX_Free(storage, 1)
        storage.deallocate()
    }

    /// Blocks until the next request arrives; false when the listener is gone.
    func accept() -> Bool { FCGX_Accept_r(storage) >= 0 }

    func finish() { FCGX_Finish_r(storage) }

    /// Every parameter the web server sent, copied out before the next libfcgi call.
    func parameters() -> [String: String] {
        var params: [String: String] = [:]
        guard var cursor = storage.pointee.envp else { return params }
        while let entry = cursor.pointee {
            // NAME=value: split at the first `=` on the bytes, without walking the text as characters.
            if let eq = strchr(entry, Int32(UInt8(ascii: "="))) {
                let name = UnsafeRawBufferPointer(start: entry, count: entry.distance(to: eq))
                params[String(decoding: name, as: UTF8.self)] = String(cString: eq + 1)
            }
            cursor += 1
        }
        return params
    }

    /// Reads up to `limit` bytes of the body; returns nil when there were more.
    func readBody(limit: Int) -> [UInt8]? {
        var body: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = chunk.withUnsafeMutableBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    FCGX_GetStr($0, Int32(buffer.count), storage.pointee.in)
                }
            }
            if n <= 0 { return body }
            if body.count + Int(n) > limit {
                discardInput()
                return nil
            }
            body.append(contentsOf: chunk[0..<Int(n)])
        }
    }

    /// Reads and drops what is left of the body, so the connection can carry the next request.
    func discardInput(maximum: Int = 64 << 20) {
        var chunk = [CChar](repeating: 0, count: 65_536)
        var total = 0
        while total < maximum {
            let n = FCGX_GetStr(&chunk, Int32(chunk.count), storage.pointee.in)
            if n <= 0 { return }
            total += Int(n)
        }
    }

    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                _ = FCGX_PutStr($0, Int32(buffer.count), storage.pointee.out)
            }
        }
    }

    /// A line for httpd's error log.
    func writeError(_ line: String) {
        _ = FCGX_PutS(line + "\n", storage.pointee.err)
    }
}
