/// Where remote sources may come from (`allowed_remote_urls`): `repo` and `lookaside_repos` URLs, `pungi_compose`
/// variants and the `compose_url`s `kiln import-contents` reads. Each entry is either a host (`mirror.example.com`,
/// `127.0.0.1`, `[::1]`: http or https, any port), a host and port (`mirror.example.com:8443`), or a URL prefix
/// (`https://mirror.example.com/pub/`: that scheme, host and port, and a path at or below the prefix, segment by
/// segment). No entry, the default, allows no remote source at all.
public struct RemoteSourcePolicy: Sendable, Equatable {
    enum Entry: Sendable, Equatable {
        case host(String, port: Int?)
        case prefix(RemoteURL)
    }

    private(set) var entries: [Entry]

    /// Parses the configured entries; throws naming the first one that is neither a host nor an http(s) URL prefix.
    public init(entries: [String]) throws(RemoteURL.Invalid) {
        var parsed: [Entry] = []
        for text in entries {
            if text.contains("://") {
                do {
                    parsed.append(.prefix(try RemoteURL(parsing: text)))
                } catch {
                    throw RemoteURL.Invalid(reason: "\(text): \(error.reason)")
                }
                continue
            }
            // A host or host:port is checked by parsing it as the authority of a URL.
            guard !text.contains("/"), let url = try? RemoteURL(parsing: "http://" + text) else {
                throw RemoteURL.Invalid(reason: "\(text): neither a host nor an http(s) URL prefix")
            }
            let explicitPort = text.hasSuffix("]") ? false : text.contains(":")
            parsed.append(.host(url.host, port: explicitPort ? url.port : nil))
        }
        self.entries = parsed
    }

    public static let none = try! RemoteSourcePolicy(entries: [])

    public var isEmpty: Bool { entries.isEmpty }

    /// A policy that also allows these URL prefixes (operator-set URLs such as `target_dir_url`); unparsable ones
    /// are left out.
    public func adding(prefixes: [String]) -> RemoteSourcePolicy {
        var copy = self
        copy.entries += prefixes.compactMap { try? RemoteURL(parsing: $0) }.map { Entry.prefix($0) }
        return copy
    }

    public func allows(_ url: RemoteURL) -> Bool {
        entries.contains { entry in
            switch entry {
            case .host(let host, let port):
                return url.host == host && (port == nil || port == url.port)
            case .prefix(let prefix):
                guard url.scheme == prefix.scheme, url.host == prefix.host, url.port == prefix.port else {
                    return false
                }
                let base = prefix.path.hasSuffix("/") ? prefix.path : prefix.path + "/"
                return url.path == prefix.path || url.path.hasPrefix(base)
            }
        }
    }

    /// The parsed URL when `text` is a well-formed http(s) URL this policy allows; otherwise a 400 naming it.
    public func check(_ text: String) throws(ComposeError) -> RemoteURL {
        let url: RemoteURL
        do {
            url = try RemoteURL(parsing: text)
        } catch {
            throw .invalid("URL \"\(text)\" is not usable as a remote source: it \(error.reason).")
        }
        guard allows(url) else { throw .invalid("URL \"\(text)\" is not an allowed remote source on this server.") }
        return url
    }
}
