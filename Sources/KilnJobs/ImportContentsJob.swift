internal import Foundation
internal import KilnCompose
public import KilnConfiguration
internal import KilnCore
internal import KilnHTTP
internal import KilnPlatform
internal import KilnStore
public import Logging

/// `kiln import-contents`: reads the RPM list of every tracked compose that has a `compose_url` and no list yet from
/// `<compose_url>/compose/metadata/rpms.json`, and records it (source `fetched`). A failed fetch is retried on later
/// runs, `retryAfterSeconds` apart, up to `maxAttempts` times; `set_url` starts the count again. Several runs on
/// several hosts never fetch the same compose at once.
public struct ImportContentsJob: Sendable {
    public let configuration: KilnConfiguration
    public let logger: Logger
    public var batchSize = 20
    /// At most this many composes per run.
    public var limit = 1000
    public var maxAttempts = 5
    public var retryAfterSeconds = 900
    /// Only these compose ids (nil: every compose waiting).
    public var only: [String]?

    public init(configuration: KilnConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public struct Report: Sendable, Equatable {
        /// Compose ids whose list was recorded, with its RPM count.
        public var fetched: [(String, Int)] = []
        /// Compose ids whose fetch failed, with the reason.
        public var failed: [(String, String)] = []

        public static func == (a: Report, b: Report) -> Bool {
            a.fetched.map(\.0) == b.fetched.map(\.0) && a.fetched.map(\.1) == b.fetched.map(\.1)
                && a.failed.map(\.0) == b.failed.map(\.0) && a.failed.map(\.1) == b.failed.map(\.1)
        }
    }

    /// The URL of a compose's rpms.json: `compose/metadata/rpms.json` below the parsed `compose_url` (no user info,
    /// query, fragment or dot segment), which the policy must allow.
    static func metadataURL(composeURL: String, policy: RemoteSourcePolicy) throws -> String {
        let base: RemoteURL
        do {
            base = try RemoteURL(parsing: composeURL)
        } catch {
            throw FetchError(description: "compose_url \(composeURL) is not usable: it \(error.reason)")
        }
        guard policy.allows(base) else {
            throw FetchError(description: "compose_url \(composeURL) is not an allowed remote source")
        }
        return try base.directory.appending("compose/metadata/rpms.json").description
    }

    /// `allowed_remote_urls`, plus Kiln's own `target_dir_url` and the `compose_roots` URLs (operator-set).
    var policy: RemoteSourcePolicy {
        configuration.service.remoteSources.adding(
            prefixes: [configuration.service.targetDirURL] + configuration.tracking.composeRoots.compactMap(\.url))
    }

    @available(*, noasync, message: "blocks")
    public func run() throws -> Report {
        let c = try PGConnection.connect(configuration.databaseURL)
        defer { c.close() }
        let policy = policy
        let client = try configuration.remoteClient(policy: policy)
        var report = Report()
        let store = ComposeContentsStore(c)
        var done = 0
        while done < limit {
            let batch = try c.withTransaction { _ in
                try store.claimFetches(
                    limit: min(batchSize, limit - done), maxAttempts: maxAttempts, retryAfterSeconds: retryAfterSeconds,
                    only: only)
            }
            if batch.isEmpty { break }
            done += batch.count
            for pending in batch {
                var log = logger
                log[metadataKey: "kiln.cts.compose_id"] = "\(pending.composeID)"
                var url = pending.composeURL
                do {
                    url = try Self.metadataURL(composeURL: pending.composeURL, policy: policy)
                    let contents = try fetch(url, client: client, composeID: pending.composeID)
                    let stored = try c.withTransaction { t in
                        try ComposeContentsStore(t).storeFetched(key: pending.key, contents: contents)
                    }
                    if stored {
                        report.fetched.append((pending.composeID, contents.entries.count))
                        log.info("compose contents fetched", metadata: ["kiln.cts.rpms": "\(contents.entries.count)"])
                    }
                } catch {
                    let reason = Self.reason(error, url: url)
                    report.failed.append((pending.composeID, reason))
                    log.warning(
                        "compose contents not fetched",
                        metadata: [
                            "kiln.error": "\(reason)", "kiln.cts.attempt": "\(pending.attempts)",
                            "kiln.cts.max_attempts": "\(maxAttempts)",
                        ])
                    try c.withTransaction { t in
                        try ComposeContentsStore(t).recordFetchFailure(key: pending.key, error: reason)
                    }
                }
            }
        }
        return report
    }

    struct FetchError: Error, CustomStringConvertible {
        var description: String
    }

    @available(*, noasync, message: "blocks")
    func fetch(_ url: String, client: HTTPClient, composeID: String) throws -> ComposeContents {
        let answer = try SourceFetchError.explaining { try client.get(url) }
        guard answer.status == 200 else { throw SourceFetchError(url: url, problem: "HTTP \(answer.status)") }
        let contents = try ComposeContents.parse(bytes: answer.body)
        if let id = contents.composeID, id != composeID {
            throw FetchError(description: "\(url) describes compose \(id), not \(composeID)")
        }
        return contents
    }

    static func reason(_ error: any Error, url: String) -> String {
        switch error {
        case let e as ComposeError: "\(url): \(e.message)"
        case let e as HTTPClientError: SourceFetchError(e).description
        default: "\(error)"
        }
    }
}

extension GenerateJob {
    /// The RPM list of a compose just written to `directory`, read back from its `compose/metadata/rpms.json`;
    /// nil (logged) when it cannot be read, so the compose is tracked without a list rather than failed.
    func writtenContents(directory: String, logger: Logger) -> ComposeContents? {
        let path = directory + "/compose/metadata/rpms.json"
        guard let bytes = Platform.readFile(path) else {
            logger.error(
                "generated compose has no readable rpms.json; tracked without contents",
                metadata: ["kiln.path": "\(path)"])
            return nil
        }
        do {
            return try ComposeContents.parse(bytes: bytes)
        } catch {
            logger.error(
                "generated rpms.json does not parse; tracked without contents",
                metadata: ["kiln.error": "\(error.message)"])
            return nil
        }
    }
}
