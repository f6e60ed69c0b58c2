#if canImport(Glibc)
    internal import Glibc
#endif

extension Platform {
    /// The last `maxBytes` bytes of the regular file at `path` (the whole file when it is smaller) and the file's
    /// size when they were read; nil when it cannot be opened, is not a regular file, or is a symlink.
    public static func readTail(_ path: String, maxBytes: Int) -> (bytes: [UInt8], size: Int64)? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int64(st.st_size)
        let start = max(0, size - Int64(max(0, maxBytes)))
        var bytes = [UInt8](repeating: 0, count: Int(size - start))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(start) + off_t(filled))
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            filled += n
        }
        bytes.removeLast(bytes.count - filled)
        return (bytes, start + Int64(filled))
    }
}
