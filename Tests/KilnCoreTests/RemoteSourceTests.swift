import KilnCore
import Testing

/// Remote source URLs: what parses, what an allow-list entry admits, and how child URLs are built.
@Suite struct RemoteSourceTests {
    @Test(arguments: [
        ("https://Mirror.Example.com/pub/f40/", "https", "mirror.example.com", 443, "/pub/f40/"),
        ("http://127.0.0.1:8080", "http", "127.0.0.1", 8080, "/"),
        ("HTTP://[::1]:81/r", "http", "[::1]", 81, "/r"),
        ("https://h/a%20b/c", "https", "h", 443, "/a%20b/c"),
    ])
    func wellFormedURLsParse(text: String, scheme: String, host: String, port: Int, path: String) throws {
        let url = try RemoteURL(parsing: text)
        #expect(url.scheme == scheme && url.host == host && url.port == port && url.path == path)
    }

    @Test(arguments: [
        ("https://h/repo/?x=", "has a query"),
        ("https://h/repo#frag", "has a fragment"),
        ("https://user:pw@h/repo", "has user information"),
        ("https://h@evil/repo", "has user information"),
        ("https://h/a/../b", "has a . or .. segment"),
        ("https://h/a/./b", "has a . or .. segment"),
        ("https://h/a/%2e%2e/b", "encodes a dot, a slash or a NUL"),
        ("https://h/a%2Fb", "encodes a dot, a slash or a NUL"),
        ("https://h/a%zz", "has a malformed percent-encoding"),
        ("https://h\\evil/", "contains a backslash"),
        ("https://h/a b", "contains a space, a control or a non-ASCII character"),
        ("https://h:0/", "has an invalid port"),
        ("https://h:65536/", "has an invalid port"),
        ("https://h:99999999999999999999/", "has an invalid port"),
        ("https://:80/", "has an invalid host"),
        ("https://h_x/", "has an invalid host"),
        ("ftp://h/", "not an http(s) URL"),
        ("file:///etc/passwd", "not an http(s) URL"),
        ("/srv/repo", "not an http(s) URL"),
    ])
    func malformedURLsAreRefusedWithTheReason(text: String, reason: String) {
        #expect(throws: RemoteURL.Invalid(reason: reason)) { try RemoteURL(parsing: text) }
    }

    @Test func hostAndPrefixEntries() throws {
        let policy = try RemoteSourcePolicy(entries: [
            "mirror.example.com", "127.0.0.1:8443", "https://dl.example.com/pub/", "https://cdn.example.com/repos",
        ])
        let allowed = [
            "http://mirror.example.com/x/", "https://MIRROR.example.com:444/y", "https://127.0.0.1:8443/r/",
            "https://dl.example.com/pub/f40/", "https://dl.example.com:443/pub/", "https://cdn.example.com/repos",
            "https://cdn.example.com/repos/a",
        ]
        for text in allowed { #expect(policy.allows(try RemoteURL(parsing: text)), "\(text)") }
        let refused = [
            "http://mirror.example.com.evil.org/", "https://127.0.0.1:8444/", "https://127.0.0.1/",
            "http://dl.example.com/pub/f40/", "https://dl.example.com/public/", "https://dl.example.com:8443/pub/",
            "https://cdn.example.com/repository", "https://evil.example.com/",
        ]
        for text in refused { #expect(!policy.allows(try RemoteURL(parsing: text)), "\(text)") }
        #expect(throws: ComposeError.invalid("URL \"https://evil/\" is not an allowed remote source on this server.")) {
            try policy.check("https://evil/")
        }
        #expect(
            throws: ComposeError.invalid(
                "URL \"https://mirror.example.com/r/?x=\" is not usable as a remote source: it has a query.")
        ) {
            try policy.check("https://mirror.example.com/r/?x=")
        }
        #expect(RemoteSourcePolicy.none.isEmpty)
        #expect(!RemoteSourcePolicy.none.allows(try RemoteURL(parsing: "https://mirror.example.com/")))
        let extended = RemoteSourcePolicy.none.adding(prefixes: ["http://localhost/composes", "not a url"])
        #expect(extended.allows(try RemoteURL(parsing: "http://localhost/composes/odcs-1/")))
        #expect(!extended.allows(try RemoteURL(parsing: "http://localhost/other/")))
    }

    @Test func badEntriesAreNamed() {
        #expect(throws: RemoteURL.Invalid(reason: "https://h/?q: has a query")) {
            try RemoteSourcePolicy(entries: ["https://h/?q"])
        }
        #expect(throws: RemoteURL.Invalid(reason: "h/path: neither a host nor an http(s) URL prefix")) {
            try RemoteSourcePolicy(entries: ["h/path"])
        }
        #expect(throws: RemoteURL.Invalid(reason: "h:x: neither a host nor an http(s) URL prefix")) {
            try RemoteSourcePolicy(entries: ["h:x"])
        }
    }

    @Test func childURLsStayBelowTheirBase() throws {
        let base = try RemoteURL(parsing: "https://mirror/pub/f40")
        #expect(try base.appending("repodata/repomd.xml").description == "https://mirror/pub/f40/repodata/repomd.xml")
        #expect(
            try base.appending("Packages/g/g++-1.0^x.rpm").description
                == "https://mirror/pub/f40/Packages/g/g++-1.0%5Ex.rpm")
        #expect(try base.appending("a/b?c#d%").description == "https://mirror/pub/f40/a/b%3Fc%23d%25")
        for unsafe in ["../x.rpm", "a/../../x.rpm", "/etc/passwd", "http://evil/x.rpm", "a//b", "./x", "", "a\\b"] {
            #expect(throws: RemoteURL.Invalid.self, "\(unsafe)") { try base.appending(unsafe) }
        }
        #expect(try RemoteURL(parsing: "http://h:80/").origin == "http://h")
        #expect(try RemoteURL(parsing: "http://h:81/").origin == "http://h:81")
    }
}
