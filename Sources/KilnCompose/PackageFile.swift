internal import CCrypto
internal import Foundation
public import KilnCore

#if canImport(Glibc)
    internal import Glibc
#endif

/// One package file of a source repository on its way into a compose: opened below the repository's root without
/// following any symlink, checked to be a regular file of the size and checksum the repository's metadata declares,
/// then hard-linked (the very inode that was checked) or copied into the compose tree.
public enum PackageFile {
    /// Checks the regular file at `relative` below `root` (no symlink followed) against a size and checksum.
    public static func verifyFile(
        root: String, relative: String, size: Int64?, checksumType: String?, checksum: String?
    ) throws(PackageFileError) {
        let name = relative.split(separator: "/").last.map(String.init) ?? relative
        let fd = try openBeneath(root: root, relative: relative, fileName: name)
        defer { close(fd) }
        try verify(fd, fileName: name, size: size, checksumType: checksumType, checksum: checksum)
    }

    /// Opens `relative` below `root`, one path component at a time with O_NOFOLLOW: a symlink anywhere below the
    /// root, a `.` or `..` component, or anything but a regular file at the end is refused.
    static func openBeneath(root: String, relative: String, fileName: String) throws(PackageFileError) -> Int32 {
        let components = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.isEmpty, components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
            !relative.utf8.contains(0), !root.utf8.contains(0)
        else { throw .unsafeLocation(fileName, detail: "location \(relative) leaves the repository") }
        var directory = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { throw .unsafeLocation(fileName, detail: "cannot open \(root): \(errnoText())") }
        for (index, component) in components.enumerated() {
            let last = index == components.count - 1
            // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused as not a regular file next).
            let flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | (last ? 0 : O_DIRECTORY)
            let next = openat(directory, String(component), flags)
            let failure = errno
            close(directory)
            guard next >= 0 else {
                if failure == ENOENT { throw .missing(fileName, detail: "\(root)/\(relative): no such file") }
                let why =
                    failure == ELOOP || failure == ENOTDIR
                    ? "a symlink on the way" : String(cString: strerror(failure))
                throw .unsafeLocation(fileName, detail: "\(root)/\(relative): \(why)")
            }
            directory = next
        }
        var status = stat()
        guard fstat(directory, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(directory)
            throw .unsafeLocation(fileName, detail: "\(root)/\(relative) is not a regular file")
        }
        return directory
    }

    /// The hex digest of everything `fd` holds, read from its start. `type` is the checksum type repository
    /// metadata names (`sha256`, `sha1` or `sha`, `sha512`, ...); nil when OpenSSL knows no such digest.
    static func digest(_ fd: Int32, type: String) -> String? {
        let name = type.lowercased() == "sha" ? "sha1" : type.lowercased()
        guard let md = EVP_get_digestbyname(name), let context = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, md, nil) == 1, lseek(fd, 0, SEEK_SET) == 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { break }
            guard buffer.withUnsafeBytes({ EVP_DigestUpdate(context, $0.baseAddress, n) }) == 1 else { return nil }
        }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1 else { return nil }
        return Hex.encode(out.prefix(Int(length)))
    }

    /// Checks the open file against the metadata's size and checksum.
    static func verify(
        _ fd: Int32, fileName: String, size: Int64?, checksumType: String?, checksum: String?
    ) throws(PackageFileError) {
        guard let checksumType, let checksum else { throw .noChecksum(fileName) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .unsafeLocation(fileName, detail: "fstat: \(errnoText())") }
        if let size, Int64(status.st_size) != size {
            throw .mismatch(
                fileName, what: "size", detail: "metadata says \(size) bytes, the file has \(status.st_size)")
        }
        guard let actual = digest(fd, type: checksumType) else {
            throw .mismatch(fileName, what: checksumType, detail: "cannot compute a \(checksumType) digest")
        }
        guard actual == checksum.lowercased() else {
            throw .mismatch(fileName, what: checksumType, detail: "metadata says \(checksum), the file has \(actual)")
        }
    }

    /// Puts the open file at `destination` (which must not exist): a hard link to its inode through /proc, or,
    /// across filesystems or without /proc, a copy of its bytes. Never a symlink.
    static func place(_ fd: Int32, at destination: String, fileName: String) throws(PackageFileError) {
        if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, destination, AT_SYMLINK_FOLLOW) == 0 { return }
        let out = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard out >= 0 else { throw .placing(fileName, detail: "creating \(destination): \(errnoText())") }
        defer { close(out) }
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw .placing(fileName, detail: "lseek: \(errnoText())") }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .placing(fileName, detail: "reading: \(errnoText())") }
            if n == 0 { return }
            var offset = 0
            while offset < n {
                let written = buffer.withUnsafeBytes { Glibc.write(out, $0.baseAddress! + offset, n - offset) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw .placing(fileName, detail: "writing \(destination): \(errnoText())") }
                offset += written
            }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// Why a package did not go into a compose. `description` is the one sentence a user reads in `state_reason`;
/// `detail` (paths, expected and actual values) goes to the generator's log.
public struct PackageFileError: Error, Sendable, CustomStringConvertible, UserFacingError {
    public var description: String
    public var userMessage: String { description }
    public var detail: String

    static func unsafeLocation(_ fileName: String, detail: String) -> PackageFileError {
        PackageFileError(
            description:
                "\(fileName) is not a regular file inside its repository (a symlink, or a location outside it)",
            detail: detail)
    }

    static func missing(_ fileName: String, detail: String) -> PackageFileError {
        PackageFileError(
            description: "\(fileName) is listed in the repository's metadata but missing from the repository",
            detail: detail)
    }

    static func mismatch(_ fileName: String, what: String, detail: String) -> PackageFileError {
        PackageFileError(
            description: "\(fileName) does not match its repository metadata (\(what) mismatch)", detail: detail)
    }

    static func noChecksum(_ fileName: String) -> PackageFileError {
        PackageFileError(description: "\(fileName) has no checksum in its repository metadata", detail: "")
    }

    static func placing(_ fileName: String, detail: String) -> PackageFileError {
        PackageFileError(description: "\(fileName) could not be placed in the compose", detail: detail)
    }
}
