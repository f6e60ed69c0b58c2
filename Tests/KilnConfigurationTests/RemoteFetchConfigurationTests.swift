import Foundation
import KilnConfiguration
import KilnCore
import Testing

private let maxBytesMessage = #"configuration key remote_max_bytes: must be a size such as "2G", at most 1T"#

/// `allowed_remote_urls` and the remote fetch limits, from the file and from `KILN_<KEY>` overrides.
@Suite struct RemoteFetchConfigurationTests {
    func load(_ environment: [String: String]) throws -> KilnConfiguration {
        let path = NSTemporaryDirectory() + "kiln-remote-config-\(UUID().uuidString).json"
        try "{}".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try KilnConfiguration.load(path: path, environment: environment)
    }

    @Test func defaultsAllowNoRemoteSource() throws {
        let c = try load([:])
        #expect(c.service.remoteSources.isEmpty)
        #expect(!c.service.remoteSources.allows(try RemoteURL(parsing: "https://mirror.example.com/")))
        #expect(c.remoteTimeoutSeconds == 1800 && c.remoteStallSeconds == 60 && c.remoteMaxBytes == 1 << 30)
    }

    @Test func keysAreRead() throws {
        let c = try load([
            "KILN_ALLOWED_REMOTE_URLS": #"["mirror.example.com", "https://dl.example.com/pub/"]"#,
            "KILN_REMOTE_TIMEOUT": "600", "KILN_REMOTE_STALL_TIMEOUT": "5", "KILN_REMOTE_MAX_BYTES": "20M",
        ])
        #expect(c.service.remoteSources.allows(try RemoteURL(parsing: "http://mirror.example.com:8080/r/")))
        #expect(c.service.remoteSources.allows(try RemoteURL(parsing: "https://dl.example.com/pub/f40/")))
        #expect(!c.service.remoteSources.allows(try RemoteURL(parsing: "https://dl.example.com/private/")))
        #expect(c.remoteTimeoutSeconds == 600 && c.remoteStallSeconds == 5 && c.remoteMaxBytes == 20 << 20)
    }

    @Test(arguments: [
        (
            "KILN_ALLOWED_REMOTE_URLS", #"["https://h/?q"]"#,
            "configuration key allowed_remote_urls: https://h/?q: has a query"
        ),
        (
            "KILN_ALLOWED_REMOTE_URLS", #"["h/p"]"#,
            "configuration key allowed_remote_urls: h/p: neither a host nor an http(s) URL prefix"
        ),
        ("KILN_ALLOWED_REMOTE_URLS", "\"h\"", "configuration key allowed_remote_urls: must be a list of strings"),
        ("KILN_REMOTE_TIMEOUT", "0", "configuration key remote_timeout: must be 1 to 86400 seconds"),
        ("KILN_REMOTE_TIMEOUT", "99999999999999999999", "configuration key remote_timeout: must be an integer"),
        ("KILN_REMOTE_STALL_TIMEOUT", "3601", "configuration key remote_stall_timeout: must be 1 to 3600 seconds"),
        ("KILN_REMOTE_MAX_BYTES", "2T", maxBytesMessage),
        ("KILN_REMOTE_MAX_BYTES", "10%", maxBytesMessage),
        ("KILN_REMOTE_MAX_BYTES", "0", maxBytesMessage),
    ])
    func badValuesAreRefusedWithTheKey(key: String, value: String, message: String) {
        do {
            _ = try load([key: value])
            Issue.record("\(key)=\(value) was accepted")
        } catch {
            #expect("\(error)" == message)
        }
    }
}
