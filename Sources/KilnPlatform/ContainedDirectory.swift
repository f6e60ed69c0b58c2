#if canImport(Glibc)
    internal import Glibc
#endif

/// A compose root opened once; every create, rename, link and delete below it walks one name at a time from the
/// root's descriptor (openat with O_NOFOLLOW, fstatat with AT_SYMLINK_NOFOLLOW). A symlink, `..`, `.`, an empty
/// name or a slash anywhere on the way ends the walk with an error instead of leading out of the root, and the
/// last name is never followed: a symlink there is replaced or removed itself, never what it points to.
/// The root itself is configuration (it may be a symlink, as `/srv/composes` often is).
public final class ContainedDirectory {
    public let path: String
    private let descriptor: Int32

    public init(path: String) throws(ContainmentError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ContainmentError(path: path, reason: .system(errno)) }
    }

    deinit { close(descriptor) }

    /// The kind of an entry, not following a symlink there.
    public enum Kind: Sendable, Equatable { case directory, symlink, file }

    /// A name usable as one path component: not empty, `.` or `..`, no slash, no NUL, no control character.
    public static func isPlainName(_ name: String) -> Bool {
        guard !name.isEmpty, name != ".", name != "..", name.utf8.count <= 255 else { return false }
        return !name.unicodeScalars.contains { $0 == "/" || $0.value < 0x20 || $0.value == 0x7F }
    }

    /// `a/b/c` as checked components; a leading slash, `//`, `.` or `..` is refused.
    static func components(_ relative: String) throws(ContainmentError) -> [String] {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts where !isPlainName(part) { throw ContainmentError(path: relative, reason: .notPlain(part)) }
        return parts
    }

    /// Opens the directory `components` below the root (each a real directory, created with mode 0755 when
    /// missing and `create`). The caller closes the returned descriptor.
    private func openDirectory(_ components: [String], create: Bool, shown: String) throws(ContainmentError) -> Int32 {
        var current = dup(descriptor)
        guard current >= 0 else { throw ContainmentError(path: shown, reason: .system(errno)) }
        for name in components {
            var next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT, create {
                if mkdirat(current, name, 0o755) != 0, errno != EEXIST {
                    let e = errno
                    close(current)
                    throw ContainmentError(path: shown, reason: .system(e))
                }
                next = openat(current, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            let e = errno
            close(current)
            guard next >= 0 else {
                let reason: ContainmentError.Reason = e == ELOOP || e == ENOTDIR ? .notADirectory(name) : .system(e)
                throw ContainmentError(path: shown, reason: reason)
            }
            current = next
        }
        return current
    }

    /// Splits `relative` into its directory's components and its last name.
    private func split(_ relative: String) throws(ContainmentError) -> (directory: [String], name: String) {
        var parts = try Self.components(relative)
        let name = parts.removeLast()
        return (parts, name)
    }

    /// Creates the directories of `relative` that are missing; every existing one must be a real directory.
    public func createDirectories(_ relative: String) throws(ContainmentError) {
        close(try openDirectory(try Self.components(relative), create: true, shown: relative))
    }

    /// What `relative` is, without following a symlink at its end; nil when it does not exist (or its way goes
    /// through a symlink or a non-directory).
    public func kind(of relative: String) -> Kind? {
        guard let (directory, name) = try? split(relative),
            let fd = try? openDirectory(directory, create: false, shown: relative)
        else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .file
        }
    }

    /// The target text of the symlink `relative`; nil when it is not a symlink.
    public func symlinkTarget(_ relative: String) -> String? {
        guard let (directory, name) = try? split(relative),
            let fd = try? openDirectory(directory, create: false, shown: relative)
        else { return nil }
        defer { close(fd) }
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlinkat(fd, name, &buffer, 4096)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Points the symlink `relative` at `target` (created, or an existing symlink replaced in one rename). A
    /// directory or file of that name is left alone and refused: only links are ever replaced.
    public func replaceSymlink(_ relative: String, target: String) throws(ContainmentError) {
        let (directory, name) = try split(relative)
        let fd = try openDirectory(directory, create: true, shown: relative)
        defer { close(fd) }
        var st = stat()
        if fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0, (st.st_mode & S_IFMT) != S_IFLNK {
            throw ContainmentError(path: relative, reason: .notASymlink)
        }
        let temporary = ".tmp-link-\(getpid())-\(name)"
        unlinkat(fd, temporary, 0)
        guard symlinkat(target, fd, temporary) == 0 else {
            throw ContainmentError(path: relative, reason: .system(errno))
        }
        guard renameat(fd, temporary, fd, name) == 0 else {
            let e = errno
            unlinkat(fd, temporary, 0)
            throw ContainmentError(path: relative, reason: .system(e))
        }
    }

    /// Removes the symlink `relative` when `matches` accepts its target; true when it was removed. Anything that
    /// is not a symlink is left alone.
    @discardableResult
    public func removeSymlink(_ relative: String, where matches: (String) -> Bool) -> Bool {
        guard let target = symlinkTarget(relative), matches(target),
            let (directory, name) = try? split(relative),
            let fd = try? openDirectory(directory, create: false, shown: relative)
        else { return false }
        defer { close(fd) }
        return unlinkat(fd, name, 0) == 0
    }

    /// Renames `from` to `to`, both below the root; an existing `to` that is a symlink or file is replaced (the
    /// entry itself, not what it points to), an empty directory too; a non-empty directory makes it fail.
    public func rename(_ from: String, to: String) throws(ContainmentError) {
        let (fromDirectory, fromName) = try split(from)
        let (toDirectory, toName) = try split(to)
        let a = try openDirectory(fromDirectory, create: false, shown: from)
        defer { close(a) }
        let b = try openDirectory(toDirectory, create: false, shown: to)
        defer { close(b) }
        guard renameat(a, fromName, b, toName) == 0 else { throw ContainmentError(path: from, reason: .system(errno)) }
    }

    /// Deletes `relative` and everything below it without following any symlink (a symlink at `relative` is
    /// removed itself). Missing is not an error.
    public func removeTree(_ relative: String) throws(ContainmentError) {
        let (directory, name) = try split(relative)
        let fd: Int32
        do {
            fd = try openDirectory(directory, create: false, shown: relative)
        } catch {
            if case .system(let e) = error.reason, e == ENOENT { return }
            throw error
        }
        defer { close(fd) }
        do {
            try DiskUsage.removeTree(at: fd, name: name, shownAs: path + "/" + relative)
        } catch {
            throw ContainmentError(path: relative, reason: .system(error.errno))
        }
    }
}

public struct ContainmentError: Error, CustomStringConvertible, Sendable {
    public enum Reason: Sendable, Equatable {
        case notPlain(String)
        case notADirectory(String)
        case notASymlink
        case system(Int32)
    }

    public var path: String
    public var reason: Reason

    public var description: String {
        switch reason {
        case .notPlain(let part): "\(path): \"\(part)\" is not a plain file name"
        case .notADirectory(let part): "\(path): \(part) is a symlink or not a directory"
        case .notASymlink: "\(path): exists and is not a symlink"
        case .system(let e): "\(path): \(String(cString: strerror(e)))"
        }
    }
}
