#if canImport(Glibc)
    internal import Glibc
#endif

/// The few operating-system reads the executables and the store share.
public enum Platform {
    /// The process environment as a dictionary.
    public static func environment() -> [String: String] {
        var environment: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                environment[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            cursor += 1
        }
        return environment
    }

    /// A whole file's bytes, or nil when it cannot be read.
    public static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
            if n < buffer.count { break }
        }
        return bytes
    }

    /// A whole file as UTF-8 text, or nil when it cannot be read or is not UTF-8.
    public static func readTextFile(_ path: String) -> String? {
        readFile(path).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// realpath(3): the absolute path with every symlink and `..` resolved; nil when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Seconds since the Unix epoch.
    public static func epochSeconds() -> Int64 { Int64(time(nil)) }
}
