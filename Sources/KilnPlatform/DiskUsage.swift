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
