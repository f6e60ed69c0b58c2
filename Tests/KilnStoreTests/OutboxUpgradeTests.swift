import KilnCore
import KilnStore
import KilnTesting
import Testing

/// Messages written before the outbox stored topics without the site prefix are still delivered to the topic they
/// were written with, with the headers their bodies imply.
@Suite final class OutboxUpgradeTests {
    let database: TestDatabase
    init() throws { database = try TestDatabase(migratedThrough: "0009_cts_variants") }
    deinit { database.drop() }

    @Test func rowsWrittenBeforeTheUpgradeKeepTheirFullTopic() throws {
        let c = try database.connect()
        defer { c.close() }
        // What the previous release wrote: the prefix of its configuration inside the topic, no headers.
        _ = try c.execute(
            """
            INSERT INTO outbox (topic, body) VALUES
            ('org.example.prod.odcs.compose.state-changed',
             '{"event": "state-changed", "compose": {"id": 7, "owner": "alice", "packages": "bash  zsh"}}'),
            ('org.example.prod.cts.compose-tagged', '{"event": "compose-tagged", "compose": {}, "agent": "bob"}')
            """)
        _ = try c.execute("INSERT INTO outbox (topic, body, sent_at) VALUES ('old.cts.compose-created', '{}', now())")
        try Migrator(directory: TestDatabase.repositoryRoot(#filePath) + "/migrations").migrate(c)
        // And what this release writes, after the upgrade.
        let tracked = TrackedCompose(
            key: 1, composeID: "Fedora-40-20260101.0",
            info: ComposeInfo(
                date: "20260101", type: .production, respin: 0,
                release: .init(name: "Fedora", short: "Fedora", version: "40")),
            builder: "pungi")
        try OutboxStore(c).append(.tracking("compose-created", tracked, agent: "carol"))

        let messages = try OutboxStore(c).undelivered(limit: 10, topicPrefix: "kiln.new")
        #expect(
            messages.map(\.topic) == [
                "org.example.prod.odcs.compose.state-changed", "org.example.prod.cts.compose-tagged",
                "kiln.new.cts.compose-created",
            ])
        #expect(
            messages.map(\.headers) == [
                OutboxMessage.Headers(usernames: ["alice"], packages: ["bash", "zsh"]),
                OutboxMessage.Headers(usernames: ["bob"]),
                OutboxMessage.Headers(usernames: ["carol"]),
            ])
        #expect(messages[0].composeID == 7)
    }

    @Test func aRowNeedsExactlyOneOfTopicAndSuffix() throws {
        let c = try database.connect()
        defer { c.close() }
        try Migrator(directory: TestDatabase.repositoryRoot(#filePath) + "/migrations").migrate(c)
        let both = "INSERT INTO outbox (topic, topic_suffix, body) VALUES ('a.b', 'b', '{}')"
        let error = #expect(throws: KilnStoreError.self) { _ = try c.execute(both) }
        #expect(error?.sqlState == "23514")
        #expect(throws: KilnStoreError.self) { _ = try c.execute("INSERT INTO outbox (body) VALUES ('{}')") }
    }
}
