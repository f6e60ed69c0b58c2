public import KilnConfiguration
internal import KilnCore
internal import KilnHTTP

extension KilnConfiguration {
    /// The HTTP client every remote source is fetched with: `remote_timeout` for a whole transfer,
    /// `remote_stall_timeout` without data, `remote_max_bytes` for any one answer, and redirects only within the
    /// origin asked.
    /// With `policy` (sources a compose names), a redirect is also followed only to a URL the policy allows.
    func remoteClient(
        certificate: String? = nil, key: String? = nil, policy: RemoteSourcePolicy? = nil
    ) throws -> HTTPClient {
        var redirectAllowed: (@Sendable (String) -> Bool)?
        if let policy {
            redirectAllowed = { target in
                guard let url = try? RemoteURL(parsing: target) else { return false }
                return policy.allows(url)
            }
        }
        return try HTTPClient(
            configuration: .init(
                userAgent: HTTPClient.Configuration.userAgent(version: version),
                totalTimeoutMilliseconds: remoteTimeoutSeconds * 1000, crossOriginRedirects: false,
                stallTimeoutMilliseconds: remoteStallSeconds * 1000, maxBodyBytes: remoteMaxBytes,
                clientCertificateFile: certificate, clientKeyFile: key, redirectAllowed: redirectAllowed))
    }
}
