import Foundation
import KilnCore
import KilnStore
import KilnTesting
import Testing

/// Compose contents on a real PostgreSQL: replacing a list, listing it, the rpm_nvr / rpm_name filters, diffs and
/// fetch bookkeeping.
@Suite struct ComposeContentsStoreTests {
    let scratch: ConnectedTestDatabase
    var database: TestDatabase { scratch.database }
    var connection: PGConnection { scratch.connection }

    init() throws {
        scratch = try ConnectedTestDatabase()
    }

    func track(_ short: String, date: String = "20260601", url: String? = nil) throws -> TrackedCompose {
        let request = ComposeImportRequest(
            info: ComposeInfo(
                id: "x", date: date, type: .nightly, respin: 0,
                release: .init(name: short, short: short, version: "1")),
            composeURL: url)
        return try connection.withTransaction { t in
            try TrackingStore(t).importCompose(request, builder: "pungi").compose
        }
    }

    /// Entries for `nevras` in one variant and arch; each RPM's SRPM is `<name>-<e>:<v>-<r>.src`.
    func entries(_ nevras: [String], variant: String = "Server", arch: String = "x86_64") -> [ComposeContents.Entry] {
        nevras.map { text in
            let rpm = RPMNEVRA(parsing: text)!
            let srpm = RPMNEVRA(
                name: rpm.name, epoch: rpm.epoch, version: rpm.version, release: rpm.release, arch: "src")
            return ComposeContents.Entry(
                variant: variant, arch: arch, rpm: rpm, sourceRPM: srpm, category: rpm.isSource ? .source : .binary,
                sigkey: "a15b79cc",
                path: "\(variant)/\(arch)/os/Packages/\(rpm.name).rpm")
        }
    }

    func record(
        _ compose: TrackedCompose, _ list: [ComposeContents.Entry], source: ComposeContentsStore.Source = .uploaded
    ) throws {
        try connection.withTransaction { t in
            try ComposeContentsStore(t).replace(
                key: compose.key, with: ComposeContents(entries: list), source: source, by: "pungi")
        }
    }

    @Test func aListIsStoredOnceListedFilteredAndReplaced() throws {
        let compose = try track("List")
        let store = ComposeContentsStore(connection)
        #expect(try store.status(key: compose.key) == nil)
        try record(
            compose,
            entries(["bash-0:5.2.26-3.fc40.x86_64", "bash-0:5.2.26-3.fc40.src", "zsh-0:5.9-1.fc40.x86_64"])
                + entries(["bash-0:5.2.26-3.fc40.aarch64"], arch: "aarch64")
                + entries(["weird\"name\\-1:1,0-{1}.noarch"], variant: "Extra"))
        let status = try #require(try store.status(key: compose.key))
        #expect(
            status.source == .uploaded && status.rpmCount == 5 && status.importedBy == "pungi"
                && status.importedAt != nil)

        var query = ComposeContentsQuery()
        query.perPage = 100
        let all = try store.list(key: compose.key, query)
        #expect(all.total == 5)
        #expect(
            all.items.map { "\($0.variant)/\($0.arch)/\($0.rpm)" } == [
                "Extra/x86_64/weird\"name\\-1:1,0-{1}.noarch",
                "Server/aarch64/bash-0:5.2.26-3.fc40.aarch64",
                "Server/x86_64/bash-0:5.2.26-3.fc40.src",
                "Server/x86_64/bash-0:5.2.26-3.fc40.x86_64",
                "Server/x86_64/zsh-0:5.9-1.fc40.x86_64",
            ])
        #expect(all.items[2].category == .source && all.items[3].sourceRPM.description == "bash-0:5.2.26-3.fc40.src")
        #expect(all.items[3].sigkey == "a15b79cc" && all.items[3].path == "Server/x86_64/os/Packages/bash.rpm")

        query.name = "bash"
        query.arch = "x86_64"
        #expect(try store.list(key: compose.key, query).items.map(\.rpm.arch) == ["src", "x86_64"])
        query.category = .binary
        #expect(try store.list(key: compose.key, query).items.map(\.rpm.arch) == ["x86_64"])
        var paged = ComposeContentsQuery()
        paged.perPage = 2
        paged.page = 3
        let third = try store.list(key: compose.key, paged)
        #expect(third.total == 5 && third.items.map(\.rpm.name) == ["zsh"])

        // Replacing drops what is gone; the dictionary keeps one row per NEVRA however many composes hold it.
        try record(compose, entries(["zsh-0:5.9-1.fc40.x86_64"]))
        #expect(try store.list(key: compose.key, ComposeContentsQuery()).items.map(\.rpm.name) == ["zsh"])
        try record(try track("Other"), entries(["zsh-0:5.9-1.fc40.x86_64"]))
        #expect(try connection.count("SELECT count(*) FROM cts_rpms WHERE name = 'zsh'") == 2) // binary + src
        #expect(try connection.count("SELECT count(*) FROM cts_compose_rpms") == 2)
    }

    @Test func whichComposesContainABuildOrAPackage() throws {
        let old = try track("Which", date: "20260601")
        let new = try track("Which", date: "20260602")
        let none = try track("Which", date: "20260603")
        try record(
            old, entries(["bash-0:5.2.26-3.fc40.x86_64", "bash-0:5.2.26-3.fc40.i686", "vim-2:9.1-1.fc40.x86_64"]))
        try record(new, entries(["bash-0:5.2.26-4.fc40.x86_64", "vim-2:9.1-1.fc40.aarch64"], arch: "aarch64"))
        try record(none, [])
        let tracking = TrackingStore(connection)
        func ids(_ args: [(String, String)]) throws -> [String] {
            try tracking.list(TrackedComposeQuery.parse(args + [("release_short", "Which")])).items.map(\.composeID)
        }
        #expect(try ids([("rpm_nvr", "bash-5.2.26-3.fc40")]) == [old.composeID])
        #expect(try ids([("rpm_nvr", "vim-9.1-1.fc40")]) == [new.composeID, old.composeID])
        #expect(try ids([("rpm_nvr", "vim-2:9.1-1.fc40")]) == [new.composeID, old.composeID])
        #expect(try ids([("rpm_nvr", "vim-0:9.1-1.fc40")]).isEmpty)
        #expect(try ids([("rpm_name", "bash")]) == [new.composeID, old.composeID])
        #expect(try ids([("rpm_name", "bash"), ("rpm_nvr", "bash-5.2.26-4.fc40")]) == [new.composeID])
        #expect(try ids([("rpm_name", "nothing")]).isEmpty)
        let page = try tracking.list(
            TrackedComposeQuery.parse([("rpm_name", "bash"), ("release_short", "Which"), ("per_page", "1")]))
        #expect(page.total == 2 && page.items.count == 1)
        // Alone, a filter is counted in its link table; a compose holding the build in two arches counts once.
        let alone = try tracking.list(TrackedComposeQuery.parse([("rpm_nvr", "bash-5.2.26-3.fc40")]))
        #expect(alone.total == 1 && alone.items.map(\.composeID) == [old.composeID])
        #expect(try tracking.list(TrackedComposeQuery.parse([("rpm_name", "bash"), ("per_page", "0")])).total == 2)
        #expect(try tracking.list(TrackedComposeQuery.parse([("rpm_name", "vim")])).total == 2)
        _ = try connection.withTransaction { t in
            try TagStore(t).apply(
                .tagger, tag: try #require(try TagStore(t).tag(named: "nightly")),
                to: new, user: "pungi", userData: nil)
        }
        #expect(try tracking.list(TrackedComposeQuery.parse([("tag", "nightly")])).total == 1)
        #expect(try tracking.list(TrackedComposeQuery.parse([("tag", "-nightly")])).total == 2)
    }

    @Test func diffSendsOnlyWhatChangedAndCountsTheRest() throws {
        let a = try track("Diff", date: "20260601")
        let b = try track("Diff", date: "20260602")
        let shared = (0..<50).map { "pkg\($0)-0:1.0-1.x86_64" }
        try record(
            a,
            entries(shared + ["bash-0:5.2.26-3.fc40.x86_64", "gone-0:1-1.noarch", "vim-2:9.1-1.x86_64"])
                + entries(["bash-0:5.2.26-3.fc40.aarch64"], arch: "aarch64"))
        try record(
            b,
            entries(shared + ["bash-0:5.2.26-10.fc40.x86_64", "new-0:1-1.noarch", "vim-1:9.2-1.x86_64"])
                + entries(["bash-0:5.2.26-3.fc40.aarch64"], arch: "aarch64")
                + entries(["extra-0:1-1.noarch"], variant: "AppStream"))
        let diff = try ComposeContentsStore(connection).diff(from: a, to: b)
        #expect(diff.from == a.composeID && diff.to == b.composeID)
        #expect(diff.unchanged == 51)
        #expect(diff.trees.map { "\($0.variant)/\($0.arch)" } == ["AppStream/x86_64", "Server/x86_64"])
        #expect(diff.trees[0].added.map(\.description) == ["extra-0:1-1.noarch"])
        let server = diff.trees[1]
        #expect(server.added.map(\.description) == ["new-0:1-1.noarch"])
        #expect(server.removed.map(\.description) == ["gone-0:1-1.noarch"])
        #expect(
            server.upgraded.map { "\($0.from) -> \($0.to)" } == [
                "bash-0:5.2.26-3.fc40.x86_64 -> bash-0:5.2.26-10.fc40.x86_64"
            ])
        #expect(server.downgraded.map { "\($0.from) -> \($0.to)" } == ["vim-2:9.1-1.x86_64 -> vim-1:9.2-1.x86_64"])

        let back = try ComposeContentsStore(connection).diff(from: b, to: a)
        #expect(back.trees[1].downgraded.map(\.to.description) == ["bash-0:5.2.26-3.fc40.x86_64"])
        #expect(back.trees[1].upgraded.map(\.to.description) == ["vim-2:9.1-1.x86_64"])
        #expect(try ComposeContentsStore(connection).diff(from: a, to: a).trees.isEmpty)
    }

    @Test func fetchesAreClaimedOnceCountedAndStopAfterTheLastAttempt() throws {
        let waiting = try track("Fetch", date: "20260601", url: "http://example.invalid/a")
        let uploaded = try track("Fetch", date: "20260602", url: "http://example.invalid/b")
        _ = try track("Fetch", date: "20260603") // no URL: nothing to fetch
        try record(uploaded, entries(["a-0:1-1.noarch"]))
        let store = ComposeContentsStore(connection)
        func claim(max: Int = 2) throws -> [String] {
            try connection.withTransaction { t in
                try ComposeContentsStore(t).claimFetches(limit: 10, maxAttempts: max, retryAfterSeconds: 0).map(
                    \.composeID)
            }
        }
        #expect(try claim() == [waiting.composeID])
        try store.recordFetchFailure(key: waiting.key, error: "HTTP 404")
        #expect(try store.status(key: waiting.key)?.fetchError == "HTTP 404")
        #expect(try store.status(key: waiting.key)?.fetchAttempts == 1)
        #expect(try claim() == [waiting.composeID])
        #expect(try claim().isEmpty) // two attempts made
        try store.scheduleFetch(key: waiting.key) // set_url: try again
        #expect(try claim() == [waiting.composeID])
        // A lease keeps a claimed compose from a second fetcher until it is due again.
        #expect(
            try connection.withTransaction { t in
                try ComposeContentsStore(t).claimFetches(limit: 10, maxAttempts: 5, retryAfterSeconds: 600).map(
                    \.composeID)
            } == [waiting.composeID])
        #expect(
            try connection.withTransaction { t in
                try ComposeContentsStore(t).claimFetches(limit: 10, maxAttempts: 5, retryAfterSeconds: 600).map(
                    \.composeID)
            }.isEmpty)
        #expect(
            try store.storeFetched(key: waiting.key, contents: ComposeContents(entries: entries(["b-0:1-1.noarch"]))))
        #expect(try store.status(key: waiting.key)?.source == .fetched)
        #expect(try store.status(key: waiting.key)?.fetchError == nil)
        // An uploaded list is never overwritten by a late fetch.
        #expect(try !store.storeFetched(key: uploaded.key, contents: ComposeContents(entries: [])))
        #expect(try store.status(key: uploaded.key)?.rpmCount == 1)
    }
}
