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
        return try HTTPClient(configuration: .init(
            userAgent: HTTPClient.Configuration.userAgent(version: version),
            totalTimeoutMilliseconds: remoteTimeoutSeconds * 1000, crossOriginRedirects: false,
            stallTimeoutMilliseconds: remoteStallSeconds * 1000, maxBodyBytes: remoteMaxBytes,
            clientCertificateFile: certificate, clientKeyFile: key, redirectAllowed: redirectAllowed))
    }
}

/// A remote fetch that failed, in the one sentence a user reads (`could not fetch <url>: HTTP 403`): the URL asked
/// for and what went wrong with it, nothing of what another server may have answered. `detail` is for the logs.
struct SourceFetchError: Error, CustomStringConvertible, UserFacingError {
    var description: String
    var userMessage: String { description }
    var detail: String

    init(url: String, problem: String, detail: String = "") {
        description = "could not fetch \(url): \(problem)"
        self.detail = detail
    }

    init(_ error: HTTPClientError) {
        let problem: String
        switch error.code {
        case .httpStatus: problem = "HTTP \(error.status ?? 0)"
        case .redirectRefused: problem = "HTTP \(error.status ?? 0) redirect to another origin is not followed"
        case .redirectNotAllowed:
            problem = "HTTP \(error.status ?? 0) redirect to a location that is not an allowed source is not followed"
        case .tooLarge: problem = "the answer is larger than allowed"
        case .fileSystem: problem = "the file could not be stored"
        case .invalidRequest: problem = "the request could not be made"
        default:
            switch error.curlCode {
            case 6?: problem = "host not found"
            case 7?: problem = "connection failed"
            case 28?: problem = "timed out"
            case 35?, 51?, 53?, 54?, 58?, 59?, 60?, 66?, 77?, 80?, 82?, 83?, 90?, 91?: problem = "TLS failure"
            default: problem = "transfer failed"
            }
        }
        self.init(url: error.url, problem: problem, detail: error.debugDescription)
    }

    /// Runs `body`, turning an `HTTPClientError` into this error.
    static func explaining<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as HTTPClientError {
            throw SourceFetchError(error)
        }
    }
}
