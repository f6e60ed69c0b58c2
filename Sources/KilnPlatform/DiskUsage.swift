#if canImport(Glibc)
    internal import Glibc
#endif

/// The filesystem facts the disk-space guard and the expire job need.
public enum DiskUsage {
    /// The volume holding `path`, as statvfs(3) reports it to an unprivileged writer; nil if it cannot be read.
    public static func volume(at path: String) -> (freeBytes: Int64, totalBytes: Int64)? {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return nil }
        let unit = Int64(s.f_frsize)
        return (Int64(s.f_bavail) * unit, Int64(s.f_blocks) * unit)
    }

    /// Bytes that removing the tree at `path` would free: the allocated blocks of every file, directory and
    /// symlink in it that has no other hard link (a package hard-linked from its source repository is not freed
    /// by the compose's removal). Symlinks are not followed.
    public static func bytesFreedByRemoving(_ path: String) -> Int64 {
        var st = stat()
        guard lstat(path, &st) == 0 else { return 0 }
        var total: Int64 = 0
        func add(_ st: stat) {
            let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
            if isDirectory || st.st_nlink <= 1 { total += Int64(st.st_blocks) * 512 }
        }
        add(st)
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return total }
        var pending = [path]
        while let directory = pending.popLast() {
            guard let dir = opendir(directory) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                let child = directory + "/" + name
                var cst = stat()
                guard lstat(child, &cst) == 0 else { continue }
                add(cst)
                if (cst.st_mode & S_IFMT) == S_IFDIR { pending.append(child) }
            }
        }
        return total
    }
}

extension DiskUsage {
    /// Deletes `path` and everything below it without following symlinks (rm -rf, with openat/unlinkat on directory
    /// descriptors: an order of magnitude faster than FileManager.removeItem on Linux). Missing is not an error.
    /// Throws the first failure, after removing what it could.
    public static func removeTree(_ path: String) throws(RemoveError) {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT { return }
            throw RemoveError(path: path, errno: errno)
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            guard unlink(path) == 0 || errno == ENOENT else { throw RemoveError(path: path, errno: errno) }
            return
        }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw RemoveError(path: path, errno: errno) }
        var first: RemoveError?
        emptyDirectory(fd: fd, path: path, firstError: &first)
        if rmdir(path) != 0, errno != ENOENT, first == nil { first = RemoveError(path: path, errno: errno) }
        if let first { throw first }
    }

    /// Deletes the entry `name` of the open directory `directory` and everything below it, never following a
    /// symlink (one at `name` is removed itself). `shown` names it in errors. Missing is not an error.
    public static func removeTree(at directory: Int32, name: String, shownAs shown: String) throws(RemoveError) {
        var st = stat()
        guard fstatat(directory, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return }
            throw RemoveError(path: shown, errno: errno)
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            guard unlinkat(directory, name, 0) == 0 || errno == ENOENT else {
                throw RemoveError(path: shown, errno: errno)
            }
            return
        }
        let fd = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw RemoveError(path: shown, errno: errno) }
        var first: RemoveError?
        emptyDirectory(fd: fd, path: shown, firstError: &first)
        if unlinkat(directory, name, AT_REMOVEDIR) != 0, errno != ENOENT, first == nil {
            first = RemoveError(path: shown, errno: errno)
        }
        if let first { throw first }
    }

    /// Removes the entries of the open directory `fd` (consumed: closed on return).
    private static func emptyDirectory(fd: Int32, path: String, firstError: inout RemoveError?) {
        guard let dir = fdopendir(fd) else {
            close(fd)
            if firstError == nil { firstError = RemoveError(path: path, errno: errno) }
            return
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let isDirectory: Bool
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var st = stat()
                isDirectory = fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
            } else {
                isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            }
            if isDirectory {
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child >= 0 {
                    emptyDirectory(fd: child, path: path + "/" + name, firstError: &firstError)
                }
                if unlinkat(fd, name, AT_REMOVEDIR) != 0, errno != ENOENT, firstError == nil {
                    firstError = RemoveError(path: path + "/" + name, errno: errno)
                }
            } else if unlinkat(fd, name, 0) != 0, errno != ENOENT, firstError == nil {
                firstError = RemoveError(path: path + "/" + name, errno: errno)
            }
        }
    }

    public struct RemoveError: Error, CustomStringConvertible {
        public var path: String
        public var errno: Int32
        public var description: String { "\(path): \(String(cString: strerror(errno)))" }
    }
}
