/// An http(s) URL Kiln may fetch from, in the strict form remote sources must have: a scheme, a host name or IP
/// literal, an optional port, and a path without `.` or `..` segments (plain or percent-encoded). No user info, no
/// query, no fragment, no backslash, space or control character: nothing a server, a proxy or libcurl could read as
/// another place than the one the allow-list was checked against. Child URLs are built by `appending(_:)`, never by
/// string concatenation.
public struct RemoteURL: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`, lowercased.
    public let scheme: String
    /// Lowercased; an IPv6 literal keeps its brackets.
    public let host: String
    /// The explicit port, else the scheme's default (80, 443).
    public let port: Int
    /// Starts with `/`; percent-encoding kept as given.
    public let path: String

    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public init(reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    public init(parsing text: String) throws(Invalid) {
        guard text.utf8.count <= 4096 else { throw Invalid(reason: "longer than 4096 characters") }
        guard let separator = text.firstRange(of: "://") else { throw Invalid(reason: "not an http(s) URL") }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw Invalid(reason: "not an http(s) URL") }
        let rest = text[separator.upperBound...]
        for byte in rest.utf8 {
            guard byte > 0x20, byte < 0x7F else {
                throw Invalid(reason: "contains a space, a control or a non-ASCII character")
            }
            switch byte {
            case UInt8(ascii: "?"): throw Invalid(reason: "has a query")
            case UInt8(ascii: "#"): throw Invalid(reason: "has a fragment")
            case UInt8(ascii: "@"): throw Invalid(reason: "has user information")
            case UInt8(ascii: "\\"): throw Invalid(reason: "contains a backslash")
            default: continue
            }
        }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var hostPart = Substring(authority)
        var port = scheme == "https" ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            hostPart = authority[..<colon]
            let digits = authority[authority.index(after: colon)...]
            guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy(\.isASCIIDigit), let number = Int(digits),
                (1...65535).contains(number)
            else { throw Invalid(reason: "has an invalid port") }
            port = number
        }
        let host = hostPart.lowercased()
        guard Self.isHost(host) else { throw Invalid(reason: "has an invalid host") }
        let normalized = path.isEmpty ? "/" : String(path)
        try Self.checkPath(normalized)
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = normalized
    }

    /// `scheme://host[:port]`, the port left out when it is the scheme's default.
    public var origin: String {
        let isDefault = (scheme == "http" && port == 80) || (scheme == "https" && port == 443)
        return "\(scheme)://\(host)" + (isDefault ? "" : ":\(port)")
    }

    public var description: String { origin + path }

    /// This URL taken as a directory (a `/` added when missing).
    public var directory: RemoteURL {
        path.hasSuffix("/") ? self : RemoteURL(scheme: scheme, host: host, port: port, path: path + "/")
    }

    /// The URL of `relative` (a repository `location href`, a metadata path) below this one taken as a directory.
    /// Characters outside a path's safe set are percent-encoded; `relative` must not leave the directory.
    public func appending(_ relative: String) throws(Invalid) -> RemoteURL {
        try Self.checkRelative(relative)
        let encoded = percentEncode(relative) { Self.pathSafe.contains($0) }
        return RemoteURL(scheme: scheme, host: host, port: port, path: directory.path + encoded)
    }

    /// A relative location as repository metadata gives it: not empty, not absolute, no scheme, no `.`, `..` or
    /// empty segment, no backslash or control character. Such a location stays inside whatever directory it is
    /// taken relative to, on disk and in a URL.
    public static func checkRelative(_ relative: String) throws(Invalid) {
        guard !relative.isEmpty, relative.utf8.count <= 4096 else { throw Invalid(reason: "is empty or too long") }
        guard !relative.hasPrefix("/"), !relative.contains("://") else { throw Invalid(reason: "is not relative") }
        guard !relative.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) else {
            throw Invalid(reason: "contains a control character or a backslash")
        }
        for segment in relative.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty, segment != ".", segment != ".." else {
                throw Invalid(reason: "leaves its directory")
            }
        }
    }

    private init(scheme: String, host: String, port: Int, path: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    /// Unreserved characters, sub-delimiters but `;`, `:`, `@` and `/`.
    private static let pathSafe: Set<UInt8> = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,=:@/".utf8)

    private static func isHost(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        if host.hasPrefix("[") {
            let inner = host.dropFirst().dropLast()
            return host.hasSuffix("]") && !inner.isEmpty
                && inner.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        guard !host.hasPrefix("."), !host.hasPrefix("-"), !host.contains("..") else { return false }
        return host.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }
    }

    private static func checkPath(_ path: String) throws(Invalid) {
        let bytes = Array(path.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, Character(Unicode.Scalar(bytes[index + 1])).isHexDigit,
                    Character(Unicode.Scalar(bytes[index + 2])).isHexDigit
                else { throw Invalid(reason: "has a malformed percent-encoding") }
                // An encoded `.`, `/` or `\` would let a server see segments the allow-list did not.
                let code = String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self).lowercased()
                guard !["2e", "2f", "5c", "00"].contains(code) else {
                    throw Invalid(reason: "encodes a dot, a slash or a NUL")
                }
                index += 3
                continue
            }
            index += 1
        }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard segment != ".", segment != ".." else { throw Invalid(reason: "has a . or .. segment") }
        }
    }
}
