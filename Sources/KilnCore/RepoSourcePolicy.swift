/// Where `repo` sources and lookaside repositories may come from: an http(s) URL the remote source policy allows,
/// or a local directory that, with every symlink and `..` resolved, lies under one of the configured roots.
public struct RepoSourcePolicy: Sendable {
    public let roots: [String]
    public let remote: RemoteSourcePolicy
    /// Resolves a path as realpath(3) does; nil when it does not exist. Injected so the rule stays free of I/O.
    let resolve: @Sendable (String) -> String?

    public init(roots: [String], remote: RemoteSourcePolicy = .none, resolve: @escaping @Sendable (String) -> String?) {
        self.roots = roots
        self.remote = remote
        self.resolve = resolve
    }

    public static func isURL(_ source: String) -> Bool { source.hasPrefix("http://") || source.hasPrefix("https://") }

    /// The resolved local path (or the allowed URL), or a 400 saying why the source is refused. Never reads anything
    /// but the path itself.
    public func check(_ source: String) throws(ComposeError) -> String {
        if Self.isURL(source) { return try remote.check(source).description }
        guard source.hasPrefix("/") else {
            throw .invalid("Repository \"\(source)\" must be an absolute path or an http(s) URL.")
        }
        let allowed = roots.compactMap(resolve)
        guard let real = resolve(source) else {
            throw .invalid("Repository \"\(source)\" is not under an allowed repository root or does not exist.")
        }
        guard allowed.contains(where: { real == $0 || real.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
            throw .invalid("Repository \"\(source)\" is not under an allowed repository root or does not exist.")
        }
        return real
    }
}
