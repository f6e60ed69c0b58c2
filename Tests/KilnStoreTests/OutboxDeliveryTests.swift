import Foundation
import KilnCore
import KilnStore
import KilnTesting
import Testing

/// The publisher's side of the outbox on a real PostgreSQL: order, marking, the lock, the NOTIFY trigger.
@Suite final class OutboxDeliveryTests {
    let database: TestDatabase
    init() throws { database = try TestDatabase() }
    deinit { database.drop() }

    func appendStateChanges(_ c: PGConnection, count: Int) throws -> [Int64] {
        try (0..<count).map { _ in
            var compose = Compose.submitted(by: "alice", .tag, source: "f40")
            compose.packages = "bash kiln-hello"
            let stored = try ComposeStore(c).insert(compose, secondsToLive: 60)
            try OutboxStore(c).append(.composeStateChanged(stored, configuration: ServiceConfiguration()))
            return stored.id
        }
    }

    @Test func undeliveredComeInIdOrderWithWhatTheWireFormatNeeds() throws {
        let c = try database.connect()
        defer { c.close() }
        let composes = try appendStateChanges(c, count: 3)
        let first = try OutboxStore(c).undelivered(limit: 2, topicPrefix: "test")
        #expect(first.count == 2)
        #expect(first.map(\.composeID) == [composes[0], composes[1]])
        #expect(first[0].id < first[1].id)
        #expect(first[0].topic == "test.odcs.compose.state-changed")
        #expect(first[0].headers == OutboxMessage.Headers(usernames: ["alice"], packages: ["bash", "kiln-hello"]))
        #expect(UUID(uuidString: first[0].messageID)?.uuidString.lowercased() == first[0].messageID)
        #expect(first[0].messageID != first[1].messageID)
        #expect(first[0].createdAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00/) != nil)
        let body = try #require(try JSONParser.parse(first[0].body).objectValue)
        #expect(body["event"]?.stringValue == "state-changed")
        #expect(body["compose"]?.objectValue?["id"]?.integerValue == composes[0])
        // Reading again (a crash before marking) gives the same ids.
        let again = try OutboxStore(c).undelivered(limit: 2, topicPrefix: "test")
        #expect(again.map(\.messageID) == first.map(\.messageID))
    }

    @Test func eachKindGoesOutOnTheTopicConfiguredForIt() throws {
        let c = try database.connect()
        defer { c.close() }
        let composes = try appendStateChanges(c, count: 1)
        let tracked = TrackedCompose(
            key: 1, composeID: "Fedora-40-20260101.0",
            info: ComposeInfo(
                date: "20260101", type: .production, respin: 0,
                release: .init(name: "Fedora", short: "Fedora", version: "40")),
            builder: "pungi")
        try OutboxStore(c).append(.tracking("compose-tagged", tracked, agent: "bob"))
        try OutboxStore(c).append(.tracking("compose-created", tracked, agent: "carol"))
        let topics = MessageTopics(
            prefix: "org.example.stg",
            topics: [
                "odcs.compose.state-changed": "org.fedoraproject.prod.odcs.compose.state-changed",
                "cts.compose-tagged": "VirtualTopic.eng.cts.compose-tagged",
            ])
        let messages = try OutboxStore(c).undelivered(limit: 10, topics: topics)
        #expect(
            messages.map(\.topic) == [
                "org.fedoraproject.prod.odcs.compose.state-changed", "VirtualTopic.eng.cts.compose-tagged",
                "org.example.stg.cts.compose-created",
            ])
        #expect(messages[0].composeID == composes[0])
        #expect(messages.map(\.headers.usernames) == [["alice"], ["bob"], ["carol"]])
    }

    @Test func deliveredStaysDeliveredAndFailuresAreCounted() throws {
        let c = try database.connect()
        defer { c.close() }
        _ = try appendStateChanges(c, count: 3)
        let store = OutboxStore(c)
        let all = try store.undelivered(limit: 10, topicPrefix: "test")
        try store.markDelivered(ids: [all[0].id])
        let sentAt = try c.query("SELECT sent_at::text AS sent_at FROM outbox WHERE id = \(all[0].id)")
            .value("sent_at", as: String.self)
        try store.recordFailure(ids: [all[0].id, all[1].id], error: "broker gone")
        try store.markDelivered(ids: [all[0].id])
        #expect(try store.undelivered(limit: 10, topicPrefix: "test").map(\.id) == [all[1].id, all[2].id])
        #expect(try store.backlog() == 2)
        let rows = try c.query("SELECT sent_at::text AS sent_at, attempts, last_error FROM outbox ORDER BY id")
        // The delivered row keeps its first delivery time and is untouched by a later failure report.
        let r = rows.rows
        #expect(try r[0].decode("sent_at", as: String?.self) == sentAt)
        #expect(try r[0].decode("attempts", as: Int.self) == 1)
        #expect(try r[0].decode("last_error", as: String?.self) == nil)
        #expect(try r[1].decode("attempts", as: Int.self) == 1)
        #expect(try r[1].decode("last_error", as: String?.self) == "broker gone")
        #expect(try r[2].decode("attempts", as: Int.self) == 0)
    }

    @Test func onePublisherHoldsTheLockUntilItsConnectionGoes() throws {
        let a = try database.connect()
        let b = try database.connect()
        defer { b.close() }
        #expect(try OutboxStore(a).tryLockPublisher())
        #expect(try OutboxStore(b).tryLockPublisher() == false)
        a.close()
        // The server ends the closed session (and drops its locks) a moment after the client hangs up.
        var taken = false
        for _ in 0..<100 where !taken {
            taken = try OutboxStore(b).tryLockPublisher()
            if !taken { usleep(50_000) }
        }
        #expect(taken)
    }

    @Test func writingTheOutboxWakesAListener() throws {
        let writer = try database.connect()
        let listener = try database.connect()
        defer {
            writer.close()
            listener.close()
        }
        try listener.execute("LISTEN kiln_outbox")
        #expect(try listener.waitForNotification(timeoutMilliseconds: 100) == false)
        try writer.withTransaction { c in
            _ = try appendStateChanges(c, count: 2)
            // Not before the commit.
            #expect(try listener.waitForNotification(timeoutMilliseconds: 100) == false)
        }
        #expect(try listener.waitForNotification(timeoutMilliseconds: 2000))
    }
}
