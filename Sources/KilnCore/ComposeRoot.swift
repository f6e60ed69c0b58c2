/// A directory `kiln track-locations` scans for composes (`compose_roots`; Kiln's own `target_dir` is always one),
/// and the URL prefix its composes are served under.
///
/// A compose found at `<path>/<rel>` gets the URL `<url>/<rel>`; under a root without `url` it gets
/// `file://<path>/<rel>`. A recorded `compose_url` maps back to a local path the same way, through the root whose
/// prefix it starts with (the longest such prefix).
public struct ComposeRoot: Sendable, Equatable {
    /// Absolute, without a trailing slash (except `/` itself).
    public var path: String
    /// The http(s) prefix composes under `path` are served at, without a trailing slash; nil: `file://` URLs.
    public var url: String?
    /// How many directory levels below `path` compose toplevels may be (1: `<path>/<compose>`).
    public var depth: Int
    /// The root must be a mount point (its device differs from its parent's); when it is not, the volume is taken
    /// to be unmounted and nothing under it is judged.
    public var mountPoint: Bool

    public init(path: String, url: String? = nil, depth: Int = 1, mountPoint: Bool = false) {
        self.path = Self.trimmedPath(path)
        self.url = url.map(Self.trimmedURL)
        self.depth = depth
        self.mountPoint = mountPoint
    }

    public static let maximumDepth = 4

    /// The URL a compose directory under this root is tracked with; nil when `directory` is not below the root.
    public func url(forDirectory directory: String) -> String? {
        guard let relative = relativePath(of: Self.trimmedPath(directory)) else { return nil }
        let base = url ?? "file://" + (path == "/" ? "" : path)
        return relative.isEmpty ? base : base + "/" + relative
    }

    /// The directory a URL names under this root; nil when it is not one of this root's URLs.
    public func directory(forURL text: String) -> String? {
        let candidate = Self.trimmedURL(text)
        let rest: String
        if let url, let r = Self.remainder(of: candidate, after: url) {
            rest = r
        } else if candidate.hasPrefix("file://") {
            let local = String(candidate.dropFirst("file://".count))
            guard local.hasPrefix("/"), let r = relativePath(of: Self.trimmedPath(local)) else { return nil }
            rest = r
        } else {
            return nil
        }
        // `..`, `.` and empty components could name a place outside the root.
        if !rest.isEmpty {
            for part in rest.split(separator: "/", omittingEmptySubsequences: false)
            where part.isEmpty || part == "." || part == ".." {
                return nil
            }
        }
        return rest.isEmpty ? path : (path == "/" ? "/" + rest : path + "/" + rest)
    }

    /// `a/b` for `<path>/a/b`, `""` for the root itself, nil for anything else.
    func relativePath(of directory: String) -> String? {
        if directory == path { return "" }
        if path == "/" { return directory.hasPrefix("/") ? String(directory.dropFirst()) : nil }
        return Self.remainder(of: directory, after: path)
    }

    /// What follows `prefix + "/"` in `text` (or `""` when they are equal); nil when `text` does not start there.
    static func remainder(of text: String, after prefix: String) -> String? {
        if text == prefix { return "" }
        guard text.hasPrefix(prefix + "/") else { return nil }
        return String(text.dropFirst(prefix.count + 1))
    }

    static func trimmedPath(_ p: String) -> String {
        var s = p
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        return s
    }

    static func trimmedURL(_ u: String) -> String {
        var s = u
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }
}

/// The configured roots, Kiln's `target_dir` first: URL ↔ directory in both directions.
public struct ComposeLocations: Sendable, Equatable {
    public var roots: [ComposeRoot]

    public init(roots: [ComposeRoot]) { self.roots = roots }

    /// `target_dir` (served at `target_dir_url`) and then `compose_roots`; an entry for `target_dir` itself only
    /// changes its options.
    public init(targetDir: String, targetDirURL: String, configured: [ComposeRoot]) {
        var own = ComposeRoot(path: targetDir, url: targetDirURL)
        var others: [ComposeRoot] = []
        for root in configured {
            if root.path == own.path {
                own.depth = root.depth
                own.mountPoint = root.mountPoint
                if let url = root.url { own.url = url }
            } else {
                others.append(root)
            }
        }
        roots = [own] + others
    }

    /// The root a directory lies under: the most specific one.
    public func root(containing directory: String) -> ComposeRoot? {
        let d = ComposeRoot.trimmedPath(directory)
        return roots.filter { $0.relativePath(of: d) != nil }.max { $0.path.count < $1.path.count }
    }

    public func url(forDirectory directory: String) -> String? {
        root(containing: directory)?.url(forDirectory: directory)
    }

    /// Where a recorded `compose_url` lives on this host: the root whose URL prefix is the longest match, and the
    /// directory. Nil when the URL is outside every root (another host, another service): such composes are not
    /// judged.
    public func locate(url: String) -> (root: ComposeRoot, directory: String)? {
        var best: (root: ComposeRoot, directory: String, length: Int)?
        for root in roots {
            guard let directory = root.directory(forURL: url) else { continue }
            let length = url.hasPrefix("file://") ? root.path.count : (root.url?.count ?? 0)
            if best == nil || length > best!.length { best = (root, directory, length) }
        }
        return best.map { ($0.root, $0.directory) }
    }
}
