internal import Foundation
internal import KilnCore

#if canImport(Glibc)
    internal import Glibc
#endif

/// Reads compose roots for `kiln track-locations`: whether a root is there (and mounted, when it must be), the
/// compose toplevels under it, and single directories. A toplevel is a directory holding
/// `compose/metadata/composeinfo.json`; hidden entries (Kiln's work directories, `.logs`) and symlinks (the
/// `latest-*` and `<type>/` links) are not followed, and nothing below a toplevel is looked at.
struct ComposeTreeScanner {
    static let metadataFile = "compose/metadata/composeinfo.json"

    /// Present when the root is a directory that can be listed and, for `mount_point` roots, is on another device
    /// than its parent.
    func state(of root: ComposeRoot) -> LocationReconciliation.RootState {
        var st = stat()
        guard stat(root.path, &st) == 0 else { return .missing(Self.errorText(errno)) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return .missing("not a directory") }
        guard let dir = opendir(root.path) else { return .missing("cannot be listed: \(Self.errorText(errno))") }
        closedir(dir)
        if root.mountPoint && root.path != "/" {
            var parent = stat()
            guard stat(root.path + "/..", &parent) == 0 else {
                return .missing("its parent cannot be read: \(Self.errorText(errno))")
            }
            if parent.st_dev == st.st_dev {
                return .missing("not a mount point (mount_point is set): is the volume mounted?")
            }
        }
        return .present
    }

    /// Every compose toplevel at most `root.depth` levels below the root, and every directory on the way that
    /// could not be listed (as unreadable: a compose may hide there).
    func scan(_ root: ComposeRoot) -> [(String, LocationReconciliation.DiskEntry)] {
        var found: [(String, LocationReconciliation.DiskEntry)] = []
        var level: [String] = [root.path]
        for depth in 1...max(1, root.depth) {
            var next: [String] = []
            for parent in level {
                let entries: [String]
                do {
                    entries = try FileManager.default.contentsOfDirectory(atPath: parent).sorted()
                } catch {
                    if parent != root.path {
                        found.append((parent, .unreadable("cannot be listed: \(Self.describe(error))")))
                    }
                    continue
                }
                for name in entries where !name.hasPrefix(".") {
                    let path = parent == "/" ? "/" + name : parent + "/" + name
                    var st = stat()
                    guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { continue }
                    if let entry = probe(path) {
                        found.append((path, entry))
                    } else if depth < root.depth {
                        next.append(path)
                    }
                }
            }
            level = next
            if level.isEmpty { break }
        }
        return found
    }

    /// The compose at `directory`: nil when there is none (no `compose/metadata/composeinfo.json`), unreadable when
    /// the file (or a directory on its way) cannot be read or parsed.
    func probe(_ directory: String) -> LocationReconciliation.DiskEntry? {
        let file = directory + "/" + Self.metadataFile
        var st = stat()
        if stat(file, &st) != 0 {
            let e = errno
            if e == ENOENT || e == ENOTDIR { return nil }
            return .unreadable("\(Self.metadataFile): \(Self.errorText(e))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .unreadable("\(Self.metadataFile) is not a regular file") }
        let bytes: [UInt8]
        switch Self.read(file) {
        case .success(let b): bytes = b
        case .failure(let why): return .unreadable("\(Self.metadataFile): \(why.text)")
        }
        let json: JSON
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            return .unreadable("\(Self.metadataFile) is not JSON: \(error)")
        }
        do {
            return .compose(try ComposeInfo.parse(json))
        } catch {
            let prefix = "Cannot parse \"compose_info\": "
            let reason = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
            return .unreadable("\(Self.metadataFile) is not productmd composeinfo: \(reason)")
        }
    }

    struct ReadError: Error { var text: String }

    static func read(_ path: String) -> Result<[UInt8], ReadError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadError(text: errorText(errno))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(text: errorText(errno)))
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > 64 << 20 { return .failure(ReadError(text: "larger than 64 MiB")) }
        }
        return .success(bytes)
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    static func describe(_ error: any Error) -> String {
        if let e = error as? CocoaError, let underlying = e.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return errorText(Int32(underlying.code))
        }
        return "\(error.localizedDescription)"
    }
}
