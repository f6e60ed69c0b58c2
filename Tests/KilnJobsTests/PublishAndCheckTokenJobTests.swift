import Foundation
import KilnConfiguration
import KilnCore
import KilnJobs
import KilnStore
import KilnTesting
import Logging
import Testing

/// `kiln publish` against the real RabbitMQ `make test` starts (KILN_TEST_AMQP_URL) and the real PostgreSQL: what
/// a run delivers, what it leaves in the outbox, and when it does nothing.
@Suite struct PublishJobTests {
    let scratch: ConnectedTestDatabase
    var connection: PGConnection { scratch.connection }

    init() throws { scratch = try ConnectedTestDatabase() }

    func brokerURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["KILN_TEST_AMQP_URL"], !url.isEmpty else {
            throw MissingBroker()
        }
        return url
    }

    struct MissingBroker: Error, CustomStringConvertible {
        var description: String {
            "RabbitMQ is needed and was not found: KILN_TEST_AMQP_URL is not set. Run the tests with `make test`, "
                + "which starts a private broker."
        }
    }

    func job(backend: MessagingBackend = .amqp, url: String) -> PublishJob {
        var configuration = KilnConfiguration()
        configuration.databaseURL = scratch.database.conninfo
        configuration.messagingBackend = backend
        configuration.amqpURL = url
        configuration.messagingTopicPrefix = "kiln.test"
        return PublishJob(configuration: configuration, logger: Logger(label: "test"), batchSize: 2)
    }

    /// Appends `count` state-change messages, as the API and the generator do when a compose moves on.
    func announce(_ count: Int) throws {
        for _ in 0..<count {
            var compose = Compose.submitted(by: "alice", .tag, source: "f40")
            compose.packages = "bash"
            let stored = try ComposeStore(connection).insert(compose, secondsToLive: 60)
            try OutboxStore(connection).append(.composeStateChanged(stored, configuration: ServiceConfiguration()))
        }
    }

    @Test func deliversEveryWaitingMessageInBatchesAndLeavesNone() throws {
        try announce(5)
        #expect(try OutboxStore(connection).backlog() == 5)
        let outcome = try job(url: try brokerURL()).runOnce()
        guard case .delivered(let count, let waiting, _) = outcome else {
            Issue.record("expected a delivery, got \(outcome)")
            return
        }
        #expect(count == 5)
        #expect(waiting == 0)
        #expect(try OutboxStore(connection).backlog() == 0)
        guard case .delivered(0, 0, _) = try job(url: try brokerURL()).runOnce() else {
            Issue.record("a second run found something to deliver")
            return
        }
    }

    @Test func withoutAMessagingBackendMessagesWait() throws {
        try announce(3)
        #expect(try job(backend: .none, url: try brokerURL()).runOnce() == .disabled(waiting: 3))
        #expect(try OutboxStore(connection).backlog() == 3)
    }

    @Test func anUnreachableBrokerFailsTheRunAndKeepsTheMessages() throws {
        try announce(2)
        do {
            _ = try job(url: "amqp://guest:guest@127.0.0.1:1/%2F").runOnce()
            Issue.record("a run against a closed port succeeded")
        } catch let failure as PublishJob.Failure {
            #expect(failure.delivered == 0)
            #expect(failure.waiting == 2)
            #expect(failure.description.contains("messages waiting in the outbox for the next run: 2"))
        }
        #expect(try OutboxStore(connection).backlog() == 2)
    }

    @Test func aSecondPublisherDoesNothingWhileTheFirstHoldsTheLock() throws {
        try announce(1)
        let other = try scratch.database.connect()
        defer { other.close() }
        #expect(try OutboxStore(other).tryLockPublisher())
        #expect(try job(url: try brokerURL()).runOnce() == .busy)
        #expect(try OutboxStore(connection).backlog() == 1)
    }
}

/// `kiln check-token` on token files written by the test: each status, its message, what is recorded for the
/// metrics, and claims no arithmetic should see.
@Suite final class CheckTokenJobTests {
    let scratch: ConnectedTestDatabase
    let directory: String
    let now: Int64 = 1_900_000_000
    let day: Int64 = 86400

    init() throws {
        scratch = try ConnectedTestDatabase()
        directory = NSTemporaryDirectory() + "kiln-check-token-\(getpid())-\(scratch.database.name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A JWT whose payload is `claims` (the signature is not checked, so any will do).
    func jwt(_ claims: String) -> String {
        [#"{"alg":"RS256","typ":"JWT"}"#, claims, "signature"].map { Base64URL.encode(Array($0.utf8)) }
            .joined(separator: ".")
    }

    func token(_ name: String, _ content: String?) throws -> OperationsConfiguration.ServiceToken {
        let file = "\(directory)/\(name)"
        if let content { try Data((content + "\n").utf8).write(to: URL(fileURLWithPath: file)) }
        return .init(name: name, file: file)
    }

    func job(_ tokens: [OperationsConfiguration.ServiceToken]) -> CheckTokenJob {
        var configuration = KilnConfiguration()
        configuration.databaseURL = scratch.database.conninfo
        configuration.operations.serviceTokens = tokens
        configuration.operations.tokenWarnDays = 30
        configuration.operations.tokenFailDays = 7
        return CheckTokenJob(configuration: configuration, logger: Logger(label: "test"))
    }

    func recorded() throws -> [String: String] {
        let rows = try scratch.connection.query("SELECT name, status FROM token_checks").rows
        return try Dictionary(uniqueKeysWithValues: rows.map { try ($0.decode("name"), $0.decode("status")) })
    }

    @Test func eachTokenIsClassifiedAndRecorded() throws {
        let tokens = [
            try token("fresh", jwt(#"{"exp": \#(now + 40 * day)}"#)),
            try token("soon", jwt(#"{"exp": \#(now + 10 * day)}"#)),
            try token("very-soon", jwt(#"{"exp": \#(now + 2 * day)}"#)),
            try token("gone", jwt(#"{"exp": \#(now - 1)}"#)),
            try token("missing", nil),
            try token("opaque", "not-a-jwt"),
            try token("far-future", jwt(#"{"exp": 1e300}"#)),
            try token("negative", jwt(#"{"exp": -9223372036854775808}"#)),
        ]
        let results = job(tokens).run(now: now)
        #expect(
            results.map(\.status) == [
                .ok, .warning, .failing, .expired, .unreadable, .unreadable, .unreadable, .unreadable,
            ])
        #expect(results[0].expiresAt == now + 40 * day)
        #expect(results[0].message.contains("(40 days left)"))
        #expect(results[1].message.contains("in 10 days (warning from 30 days)"))
        #expect(results[2].message.contains("in 2 days (failing from 7 days)"))
        #expect(results[4].message.contains("cannot read \(directory)/missing"))
        #expect(results[6].message.contains("does not hold a JWT with an \"exp\" claim"))
        #expect(
            try recorded() == [
                "fresh": "ok", "soon": "warning", "very-soon": "failing", "gone": "expired", "missing": "unreadable",
                "opaque": "unreadable", "far-future": "unreadable", "negative": "unreadable",
            ])

        // A token taken out of the configuration is no longer reported.
        _ = job(Array(tokens.prefix(2))).run(now: now)
        #expect(try recorded() == ["fresh": "ok", "soon": "warning"])
    }

    @Test func aTokenFileGivenByHandIsCheckedButNotRecorded() throws {
        let results = job([]).run(tokens: [try token("by-hand", jwt(#"{"exp": \#(now + 3 * day)}"#))], now: now)
        #expect(results.map(\.status) == [.failing])
        #expect(try recorded().isEmpty)
    }
}
