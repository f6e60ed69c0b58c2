import Foundation
import KilnCore
import KilnStore
import KilnTesting
import Testing

/// The compose list on a real PostgreSQL, a few hundred composes (many per date): with tag and rpm_nvr filters, which
/// walk a link table in date order when the list is ordered by date first, every page and every total equal a
/// straightforward reference query; the date those link rows carry follows its compose.
@Suite struct TrackedComposeListTests {
    let scratch: ConnectedTestDatabase
    var database: TestDatabase { scratch.database }
    var connection: PGConnection { scratch.connection }

    init() throws {
        scratch = try ConnectedTestDatabase()
    }

    var tracking: TrackingStore { TrackingStore(connection) }

    func entry(_ nevra: String, variant: String = "Server", arch: String = "x86_64") -> ComposeContents.Entry {
        let rpm = RPMNEVRA(parsing: nevra)!
        let srpm = RPMNEVRA(name: rpm.name, epoch: rpm.epoch, version: rpm.version, release: rpm.release, arch: "src")
        return ComposeContents.Entry(
            variant: variant, arch: arch, rpm: rpm, sourceRPM: srpm, category: rpm.isSource ? .source : .binary)
    }

    /// `count` composes over 12 dates in three releases, with tags and contents spread by a fixed pseudo-random
    /// sequence: bash-5.2-1 in several arches and trees of many composes, vim-9.1-1 in two epochs, a rare build.
    func populate(_ count: Int) throws -> [TrackedCompose] {
        var seed: UInt64 = 20_261_122
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        var composes: [TrackedCompose] = []
        try connection.withTransaction { t in
            let store = TrackingStore(t)
            let tags = try ["nightly", "milestone", "qa-passed"].map { try #require(try store.tags.tag(named: $0)) }
            for _ in 0..<count {
                let short = ["A", "B", "Cc"][next(3)]
                let info = ComposeInfo(
                    date: String(format: "202606%02d", 1 + next(12)), type: next(4) == 0 ? .production : .nightly,
                    respin: 0,
                    release: .init(name: short, short: short, version: String(1 + next(3))))
                let compose = try store.importCompose(ComposeImportRequest(info: info), builder: "pungi").compose
                composes.append(compose)
                for (tag, oneIn) in zip(tags, [2, 25, 5]) where next(oneIn) == 0 {
                    _ = try store.tags.apply(.tagger, tag: tag, to: compose, user: "pungi", userData: nil)
                }
                var list = [entry("zsh-0:5.9-1.x86_64")]
                switch next(4) {
                case 0:
                    list += [
                        entry("bash-0:5.2-1.x86_64"), entry("bash-0:5.2-1.src"),
                        entry("bash-0:5.2-1.x86_64", variant: "Everything"),
                    ]
                case 1: list += [entry("bash-0:5.2-1.i686"), entry("bash-0:5.2-1.aarch64", arch: "aarch64")]
                case 2: list += [entry("bash-0:5.2-2.x86_64")]
                default: break
                }
                if next(3) == 0 { list.append(entry(next(2) == 0 ? "vim-2:9.1-1.x86_64" : "vim-3:9.1-1.x86_64")) }
                if next(40) == 0 { list.append(entry("rare-0:1-1.noarch")) }
                try ComposeContentsStore(t).replace(
                    key: compose.key, with: ComposeContents(entries: list), source: .uploaded, by: "pungi")
            }
        }
        return composes
    }

    /// Compose ids of `referenceWhere`, ordered by `referenceOrder`, the straightforward way.
    func reference(_ referenceWhere: String, _ referenceOrder: String) throws -> [String] {
        let sql = "SELECT c.compose_id FROM cts_composes c WHERE \(referenceWhere) ORDER BY \(referenceOrder)"
        let r = try connection.execute(sql)
        return try r.rows.map { try $0.decode("compose_id") }
    }

    static func tagged(_ name: String) -> String {
        "EXISTS (SELECT 1 FROM cts_compose_tags x JOIN cts_tags g ON g.id = x.tag_id WHERE x.compose_id = "
            + "c.id AND g.name = '\(name)')"
    }

    static func holds(_ name: String, _ version: String, _ release: String, epoch: Int? = nil) -> String {
        "EXISTS (SELECT 1 FROM cts_compose_rpms x JOIN cts_rpms p ON p.id = x.rpm_id WHERE x.compose_key = c.id"
            + " AND p.name = '\(name)'"
            + " AND p.version = '\(version)' AND p.release = '\(release)'"
            + (epoch.map { " AND p.epoch = \($0)" } ?? "") + ")"
    }

    @Test func tagAndBuildFiltersPageAndCountLikeAReferenceQueryInEveryOrder() throws {
        _ = try populate(300)
        let filters: [(args: [(String, String)], sql: String)] = [
            ([("tag", "milestone")], Self.tagged("milestone")),
            ([("tag", "nightly")], Self.tagged("nightly")),
            (
                [("tag", "nightly"), ("tag", "-milestone")],
                Self.tagged("nightly") + " AND NOT " + Self.tagged("milestone")
            ),
            ([("tag", "qa-passed"), ("tag", "nightly")], Self.tagged("qa-passed") + " AND " + Self.tagged("nightly")),
            ([("tag", "-nightly")], "NOT " + Self.tagged("nightly")),
            ([("tag", "")], "NOT EXISTS (SELECT 1 FROM cts_compose_tags x WHERE x.compose_id = c.id)"),
            (
                [("tag", "nightly"), ("release_short", "B"), ("date_after", "20260603")],
                Self.tagged("nightly") + " AND c.release_short = 'B' AND c.date > '20260603'"
            ),
            (
                [("tag", "milestone"), ("date_after", "20260603"), ("date_before", "20260610")],
                Self.tagged("milestone") + " AND c.date > '20260603' AND c.date < '20260610'"
            ),
            (
                [("tag", "nightly"), ("rpm_name", "vim")],
                Self.tagged("nightly")
                    + " AND c.id IN (SELECT x.compose_key FROM cts_compose_rpms x JOIN cts_rpms p ON p.id = x.rpm_id"
                    + " WHERE p.name = 'vim')"
            ),
            ([("rpm_nvr", "bash-5.2-1")], Self.holds("bash", "5.2", "1")),
            ([("rpm_nvr", "bash-5.2-2")], Self.holds("bash", "5.2", "2")),
            ([("rpm_nvr", "vim-9.1-1")], Self.holds("vim", "9.1", "1")),
            ([("rpm_nvr", "vim-3:9.1-1")], Self.holds("vim", "9.1", "1", epoch: 3)),
            ([("rpm_nvr", "rare-1-1")], Self.holds("rare", "1", "1")),
            ([("rpm_nvr", "nothing-1-1")], "false"),
            (
                [("rpm_nvr", "bash-5.2-1"), ("date_before", "20260606")],
                Self.holds("bash", "5.2", "1") + " AND c.date < '20260606'"
            ),
            (
                [("rpm_name", "bash"), ("date_after", "20260602"), ("date_before", "20260611")],
                "c.id IN (SELECT x.compose_key FROM cts_compose_rpms x JOIN cts_rpms p ON p.id = x.rpm_id"
                    + " WHERE p.name = 'bash')"
                    + " AND c.date > '20260602' AND c.date < '20260611'"
            ),
            (
                [("rpm_nvr", "bash-5.2-1"), ("release_short", "A")],
                Self.holds("bash", "5.2", "1") + " AND c.release_short = 'A'"
            ),
            (
                [("rpm_nvr", "bash-5.2-1"), ("tag", "nightly")],
                Self.holds("bash", "5.2", "1") + " AND " + Self.tagged("nightly")
            ),
            (
                [("rpm_nvr", "bash-5.2-1"), ("tag", "-nightly"), ("type", "nightly")],
                Self.holds("bash", "5.2", "1") + " AND NOT " + Self.tagged("nightly") + " AND c.type = 'nightly'"
            ),
            (
                [("rpm_nvr", "vim-9.1-1"), ("rpm_name", "bash"), ("release_version_startswith", "2")],
                Self.holds("vim", "9.1", "1")
                    + " AND c.id IN (SELECT x.compose_key FROM cts_compose_rpms x JOIN cts_rpms p ON p.id = x.rpm_id"
                    + " WHERE p.name = 'bash') AND c.release_version LIKE '2%'"
            ),
        ]
        let orders: [(args: [(String, String)], sql: String)] = [
            ([], "c.date DESC, c.compose_id DESC"),
            ([("order_by", "date")], "c.date ASC, c.id DESC"),
            ([("order_by", "-date"), ("order_by", "release_short")], "c.date DESC, c.release_short ASC, c.id DESC"),
            ([("order_by", "date"), ("order_by", "-id")], "c.date ASC, c.compose_id DESC"),
            ([("order_by", "release_short"), ("order_by", "date")], "c.release_short ASC, c.date ASC, c.id DESC"),
        ]
        var checkedPages = 0
        for filter in filters {
            for order in orders {
                let expected = try reference(filter.sql, order.sql)
                let perPage = 7
                let pages = (expected.count + perPage - 1) / perPage
                for page in 1...(pages + 1) {
                    let args = filter.args + order.args + [("per_page", String(perPage)), ("page", String(page))]
                    let got = try tracking.list(TrackedComposeQuery.parse(args))
                    let slice = Array(expected.dropFirst((page - 1) * perPage).prefix(perPage))
                    #expect(got.items.map(\.composeID) == slice, "\(args)")
                    #expect(got.total == expected.count, "\(args)")
                    checkedPages += 1
                }
                let counted = try tracking.list(
                    TrackedComposeQuery.parse(filter.args + order.args + [("per_page", "0")]))
                #expect(counted.total == expected.count && counted.items.isEmpty, "\(filter.args) \(order.args)")
            }
        }
        // The data is what the cases are meant to see: several composes per date and a few hundred pages in all.
        #expect(try reference(Self.holds("bash", "5.2", "1"), "c.id").count > 50)
        #expect(try reference(Self.tagged("milestone"), "c.id").count >= 3)
        #expect(try (50..<250).contains(reference("c.date < '20260606'", "c.id").count))
        #expect(checkedPages > 300)
    }

    @Test func linkRowsCarryTheirComposeDateWhichFollowsAChangeAndCannotDisagree() throws {
        let composes = try populate(40)
        func mismatched() throws -> Int64 {
            try connection.query(
                """
                SELECT (SELECT count(*) FROM cts_compose_rpms x JOIN cts_composes c ON c.id = x.compose_key WHERE
                    x.compose_date <> c.date)
                     + (SELECT count(*) FROM cts_compose_tags x JOIN cts_composes c ON c.id = x.compose_id WHERE
                         x.compose_date <> c.date)
                    AS count
                """
            ).value("count", as: Int64.self)
        }
        #expect(try mismatched() == 0)
        #expect(try connection.count("SELECT count(*) FROM cts_compose_tags") > 0)

        // The API never changes a date; should anyone, the lists follow.
        let holder = try #require(
            try reference(Self.holds("bash", "5.2", "1") + " AND " + Self.tagged("nightly"), "c.date ASC, c.id ASC")
                .first)
        try connection.execute("UPDATE cts_composes SET date = '20991231' WHERE compose_id = '\(holder)'")
        #expect(try mismatched() == 0)
        #expect(
            try tracking.list(TrackedComposeQuery.parse([("rpm_nvr", "bash-5.2-1")])).items.first?.composeID == holder)
        #expect(try tracking.list(TrackedComposeQuery.parse([("tag", "nightly")])).items.first?.composeID == holder)

        // A row whose date is not its compose's is refused.
        let wrong = composes[0]
        #expect(throws: KilnStoreError.self) {
            try self.connection.execute(
                """
                INSERT INTO cts_compose_tags (compose_id, tag_id, compose_date)
                SELECT \(wrong.key), id, '19990101' FROM cts_tags WHERE name = 'removed'
                """)
        }
    }

    @Test func theMigrationGivesExistingLinkRowsTheirComposeDate() throws {
        // A schema at migration 0007 holding composes, tags and contents, then migrated on.
        try connection.execute("CREATE SCHEMA before_0008; SET search_path TO before_0008")
        let directory = TestDatabase.repositoryRoot(#filePath) + "/migrations"
        let all = try Migrator(directory: directory)
        try Migrator(migrations: all.migrations.filter { $0.version < "0008" }).migrate(connection)
        try connection.execute(
            """
            INSERT INTO cts_composes (id, compose_id, date, respin, type, release_name, release_version, release_short,
                builder) VALUES
                (1, 'Old-1-20250101.n.0', '20250101', 0, 'nightly', 'Old', '1', 'Old', 'pungi'),
                (2, 'Old-1-20250102.n.0', '20250102', 0, 'nightly', 'Old', '1', 'Old', 'pungi');
            INSERT INTO cts_compose_tags (compose_id, tag_id) SELECT k, id FROM cts_tags, generate_series(1, 2) k
                WHERE name = 'nightly';
            INSERT INTO cts_trees (id, variant, arch) VALUES (1, 'Server', 'x86_64');
            INSERT INTO cts_rpms (id, name, epoch, version, release, arch) VALUES (1, 'bash', 0, '5.2', '1', 'x86_64');
            INSERT INTO cts_compose_rpms (compose_key, tree_id, rpm_id, srpm_id, category) VALUES (1, 1, 1, 1, 0), (2,
                1, 1, 1, 0);
            """)
        let through0008 = Migrator(migrations: all.migrations.filter { $0.version < "0009" })
        #expect(try through0008.migrate(connection) == ["0008_cts_list_speed"])
        let dates = try connection.query(
            """
            SELECT string_agg(compose_key || ':' || compose_date, ' ' ORDER BY compose_key) AS dates
            FROM cts_compose_rpms
            UNION ALL SELECT string_agg(compose_id || ':' || compose_date, ' ' ORDER BY compose_id)
                FROM cts_compose_tags
            """)
        #expect(
            try dates.rows.map { try $0.decode("dates", as: String.self) }
                == ["1:20250101 2:20250102", "1:20250101 2:20250102"])
        // Composes imported before variants were kept: a `.repo` may name the variants of their RPM list.
        // 0009 and every later migration.
        let later = all.migrations.map(\.version).filter { $0 >= "0009" }
        #expect(later.prefix(2) == ["0009_cts_variants", "0010_outbox_topic_suffix"])
        #expect(try all.migrate(connection) == later)
        let old = try #require(try tracking.compose(key: 1))
        #expect(try tracking.variants(of: old) == ["Server"])
        #expect(
            try tracking.list(TrackedComposeQuery.parse([("rpm_nvr", "bash-5.2-1")])).items.map(\.composeID)
                == ["Old-1-20250102.n.0", "Old-1-20250101.n.0"])
        #expect(
            try tracking.list(TrackedComposeQuery.parse([("tag", "nightly"), ("order_by", "date")])).items.map(
                \.composeID)
                == ["Old-1-20250101.n.0", "Old-1-20250102.n.0"])
    }
}
