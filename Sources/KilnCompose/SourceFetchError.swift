public import KilnCore
public import KilnHTTP

#if canImport(Glibc)
    internal import Glibc
#endif

/// A remote fetch that failed, in the one sentence a user reads (`could not fetch <url>: HTTP 403`): the URL asked
/// for and what went wrong with it, nothing of what another server may have answered. `detail` is for the logs.
public struct SourceFetchError: Error, Sendable, CustomStringConvertible, UserFacingError {
    public var description: String
    public var userMessage: String { description }
    public var detail: String

    public init(url: String, problem: String, detail: String = "") {
        description = "could not fetch \(url): \(problem)"
        self.detail = detail
    }

    public init(_ error: HTTPClientError) {
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
    public static func explaining<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as HTTPClientError {
            throw SourceFetchError(error)
        }
    }
}

extension HTTPClientError: UserFacingError {
    public var userMessage: String { SourceFetchError(self).description }
}

/// Fetching what a compose names from another server.
public enum RemoteFetch {
    /// Up to three tries for transport failures and 5xx answers, two seconds apart (a 404 is an answer). A refused
    /// redirect or an answer over the size limit is not tried again. A failure reads `could not fetch <url>: …`.
    @available(*, noasync, message: "blocks")
    public static func retrying(
        log: GenerationLog, _ call: () throws -> HTTPClientResponse
    ) throws -> HTTPClientResponse {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let response = try call()
                if response.status >= 500 && attempt < 3 {
                    log.write("HTTP \(response.status); retrying")
                    sleep(2)
                    continue
                }
                return response
            } catch let error as HTTPClientError {
                guard attempt < 3, ![.redirectRefused, .redirectNotAllowed, .tooLarge].contains(error.code) else {
                    throw SourceFetchError(error)
                }
                log.write("\(SourceFetchError(error)); retrying")
                sleep(2)
            }
        }
    }
}
