import KilnCore
import KilnStore
import KilnTesting
import Testing

/// The store on a real PostgreSQL: each suite instance gets its own migrated scratch database.
@Suite struct ComposeStoreTests {
    let scratch: ConnectedTestDatabase
    var database: TestDatabase { scratch.database }
    var connection: PGConnection { scratch.connection }

    init() throws {
        scratch = try ConnectedTestDatabase()
    }

    func newCompose(_ type: SourceType = .tag, owner: String = "alice", source: String = "f40") -> Compose {
        var c = Compose.submitted(by: owner, type, source: source)
        c.arches = "x86_64 aarch64"
        c.sigkeys = ""
        c.flags = [.noDeps, .noReuse]
        c.results = [.repository, .iso]
        c.multilibMethod = [.runtime]
        c.label = "RC-1"
        c.composeType = "test"
        c.targetDir = "/srv/composes"
        c.kojiEvent = 12_345_678_901
        c.baseModuleBRStreamVersionGTE = 3
        return c
    }

    func count(_ sql: String) throws -> Int64 { try connection.execute(sql).value("count", as: Int64.self) }

    @Test func insertRoundTripsEveryColumn() throws {
        let store = ComposeStore(connection)
        let template = newCompose()
        let stored = try store.insert(template, secondsToLive: 3600)
        #expect(stored.id > 0)
        #expect(stored.state == .wait)
        #expect(stored.timeToExpire.secondsSinceEpoch - stored.timeSubmitted.secondsSinceEpoch == 3600)
        var expected = template
        expected.id = stored.id
        expected.timeSubmitted = stored.timeSubmitted
        expected.timeToExpire = stored.timeToExpire
        #expect(stored == expected)
        #expect(try store.get(id: stored.id) == stored)
        #expect(try store.get(id: 999_999) == nil)
    }

    @Test func negativeLifetimeExpiresInThePast() throws {
        let stored = try ComposeStore(connection).insert(newCompose(), secondsToLive: -5)
        #expect(stored.timeToExpire.secondsSinceEpoch == stored.timeSubmitted.secondsSinceEpoch - 5)
    }

    @Test func countsFollowInsertsAndStateChanges() throws {
        let store = ComposeStore(connection)
        let a = try store.insert(newCompose(.tag), secondsToLive: 60)
        _ = try store.insert(newCompose(.tag), secondsToLive: 60)
        _ = try store.insert(newCompose(.module, source: "m:s"), secondsToLive: 60)
        _ = try store.transition(id: a.id, to: .generating, reason: "Compose thread started")
        let counts = try store.countsByTypeAndState()
        #expect(counts[.tag]?[.wait] == 1)
        #expect(counts[.tag]?[.generating] == 1)
        #expect(counts[.module]?[.wait] == 1)
        #expect(counts[.build]?[.wait] == 0)
        try connection.execute("DELETE FROM composes WHERE id = \(a.id)")
        #expect(try store.countsByTypeAndState()[.tag]?[.generating] == 0)
        let total = try count("SELECT count(*) FROM composes")
        #expect(try count("SELECT sum(count) AS count FROM compose_counts") == total)
    }

    @Test func everyChangeBumpsTheVersionInItsTransaction() throws {
        let store = ComposeStore(connection)
        let v0 = try store.version()
        let c = try store.insert(newCompose(), secondsToLive: 60)
        let v1 = try store.version()
        #expect(v1 > v0)
        try store.extend(id: c.id, reusedID: nil, secondsToLive: 600)
        let v2 = try store.version()
        #expect(v2 > v1)
        #expect(throws: KilnStoreError.self) {
            try connection.withTransaction { c2 in
                try ComposeStore(c2).markExpired(id: c.id, removedBy: "x")
                try c2.execute("SELECT 1/0")
            }
        }
        #expect(try store.version() == v2)
        #expect(try store.list(ComposeListQuery()).version == v2)
    }

    @Test func transitionToDoneRestartsTheLifetime() throws {
        let store = ComposeStore(connection)
        let c = try store.insert(newCompose(), secondsToLive: 600)
        try connection.execute(
            "UPDATE composes SET time_submitted = time_submitted - interval '1 hour', time_to_expire = time_to_expire "
                + "- interval '1 hour' WHERE id = \(c.id)"
        )
        let generating = try store.transition(id: c.id, to: .generating, reason: "Compose thread started")
        #expect(generating.timeStarted != nil)
        let done = try store.transition(id: c.id, to: .done, reason: "Compose is generated successfully")
        #expect(done.state == .done)
        #expect(done.timeDone != nil)
        #expect(done.timeToExpire.secondsSinceEpoch == done.timeDone!.secondsSinceEpoch + 600)
    }

    @Test func listFiltersOrdersAndPages() throws {
        let store = ComposeStore(connection)
        var ids: [Int64] = []
        for i in 0..<7 {
            ids.append(
                try store.insert(
                    newCompose(i % 2 == 0 ? .tag : .build, owner: i < 3 ? "bob" : "carol"), secondsToLive: 60
                ).id)
        }
        _ = try store.transition(id: ids[0], to: .done, reason: nil)
        _ = try store.transition(id: ids[2], to: .done, reason: nil)

        var q = ComposeListQuery()
        q.perPage = 3
        let first = try store.list(q)
        #expect(first.total == 7)
        #expect(first.items.map(\.id) == [ids[6], ids[5], ids[4]])
        #expect(first.items.allSatisfy { $0.pungiConfigDump == nil })
        q.page = 3
        #expect(try store.list(q).items.map(\.id) == [ids[0]])
        q.page = 4
        let beyond = try store.list(q)
        #expect(beyond.items.isEmpty && beyond.total == 7)

        q = try ComposeListQuery.parse([("state", "done"), ("order_by", "id")])
        #expect(try store.list(q).items.map(\.id) == [ids[0], ids[2]])
        q = try ComposeListQuery.parse([("owner", "bob"), ("source_type", "tag")])
        let bobTags = try store.list(q)
        #expect(bobTags.items.map(\.id) == [ids[2], ids[0]] && bobTags.total == 2)
        q = try ComposeListQuery.parse([("state", "done"), ("state", "wait")])
        #expect(try store.list(q).total == 2)
        q = try ComposeListQuery.parse([("state", "nonsense")])
        #expect(try store.list(q).total == 0)
        q = try ComposeListQuery.parse([("order_by", "-source_type"), ("per_page", "7")])
        #expect(try store.list(q).items.first?.sourceType == .build)
        q = try ComposeListQuery.parse([("label", "RC-1"), ("per_page", "0")])
        let zero = try store.list(q)
        #expect(zero.items.isEmpty && zero.total == 7 && zero.pages == 0)
    }

    @Test func extendNeverShortensAndReachesReusingComposes() throws {
        let store = ComposeStore(connection)
        let original = try store.insert(newCompose(), secondsToLive: 100_000)
        let reuser = try store.insert(newCompose(), secondsToLive: 10)
        try connection.execute("UPDATE composes SET reused_id = \(original.id) WHERE id = \(reuser.id)")
        try store.extend(id: original.id, reusedID: nil, secondsToLive: 1000)
        let o = try store.get(id: original.id)!
        let r = try store.get(id: reuser.id)!
        #expect(o.timeToExpire == original.timeToExpire)
        #expect(r.timeToExpire.secondsSinceEpoch >= reuser.timeSubmitted.secondsSinceEpoch + 1000)
        try store.extend(id: reuser.id, reusedID: original.id, secondsToLive: 200_000)
        #expect(
            try store.get(id: original.id)!.timeToExpire.secondsSinceEpoch >= original.timeSubmitted.secondsSinceEpoch
                + 200_000)
    }

    @Test func markExpiredSetsExpiryToNowAndRemovedBy() throws {
        let store = ComposeStore(connection)
        let c = try store.insert(newCompose(), secondsToLive: 100_000)
        try store.markExpired(id: c.id, removedBy: "root")
        let after = try store.get(id: c.id)!
        #expect(after.removedBy == "root")
        #expect(after.state == .wait)
        #expect(abs(after.timeToExpire.secondsSinceEpoch - c.timeSubmitted.secondsSinceEpoch) <= 2)
    }

    @Test func failedTransactionLeavesNothing() throws {
        let before = try count("SELECT count(*) AS count FROM composes")
        #expect(throws: KilnStoreError.self) {
            try connection.withTransaction { c in
                _ = try ComposeStore(c).insert(newCompose(), secondsToLive: 60)
                try c.query("INSERT INTO outbox (topic_suffix, body) VALUES ('t', 'not json'::jsonb)")
            }
        }
        #expect(try count("SELECT count(*) AS count FROM composes") == before)
        #expect(try count("SELECT count(*) AS count FROM outbox") == 0)
    }

    @Test func usersAreCreatedOnce() throws {
        let users = UserStore(connection)
        let a = try users.ensure(username: "alice")
        #expect(try users.ensure(username: "alice") == a)
        #expect(try count("SELECT count(*) AS count FROM users WHERE username = 'alice'") == 1)
    }

    @Test func migrationsAreIdempotent() throws {
        let migrator = try Migrator(directory: TestDatabaseLocation.migrations)
        #expect(try migrator.migrate(connection).isEmpty)
        #expect(try count("SELECT count(*) AS count FROM schema_migrations") == Int64(migrator.migrations.count))
    }

    @Test func bindsAreNeverSQL() throws {
        let hostile = "x'); DROP TABLE composes; --"
        _ = try ComposeStore(connection).insert(newCompose(owner: hostile), secondsToLive: 60)
        #expect(try ComposeStore(connection).list(ComposeListQuery.parse([("owner", hostile)])).total == 1)
    }

    @Test func errorsHideServerTextInDescription() throws {
        do {
            try connection.query("SELECT * FROM no_such_table")
            Issue.record("expected an error")
        } catch {
            #expect(error.sqlState == "42P01")
            #expect(!error.description.contains("no_such_table"))
            #expect(error.debugDescription.contains("no_such_table"))
        }
    }
}

enum TestDatabaseLocation {
    static var migrations: String {
        TestDatabase.repositoryRoot(#filePath) + "/migrations"
    }
}
