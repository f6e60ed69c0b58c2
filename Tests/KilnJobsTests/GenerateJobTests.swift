import Foundation
import KilnConfiguration
import KilnCore
import KilnJobs
import KilnStore
import KilnTesting
import Logging
import Testing

/// `kiln generate --once` on a real PostgreSQL: a compose of a local repository (built by
/// `scripts/build-sample-repo`) goes from `wait` to `done`, with its tree placed on the compose volume.
@Suite final class GenerateJobTests {
    let database: TestDatabase
    let base: String

    init() throws {
        database = try TestDatabase()
        base = NSTemporaryDirectory() + "kiln-generate-\(getpid())-\(database.name)"
        try FileManager.default.createDirectory(atPath: base + "/composes", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: base + "/repos", withIntermediateDirectories: true)
        let script = TestDatabase.repositoryRoot(#filePath) + "/scripts/build-sample-repo"
        try Tool.run(script, [base + "/repos/sample"])
    }

    deinit {
        database.drop()
        try? FileManager.default.removeItem(atPath: base)
    }

    var job: GenerateJob {
        var configuration = KilnConfiguration()
        configuration.databaseURL = database.conninfo
        configuration.service.targetDir = base + "/composes"
        configuration.service.repoRoots = [base + "/repos"]
        // Whatever the free space of the machine running the tests, composes are not held back.
        configuration.operations.diskLowWater = .bytes(0)
        return GenerateJob(configuration: configuration, logger: Logger(label: "test"))
    }

    func submit(_ c: PGConnection, packages: String, arches: String = "x86_64") throws -> Int64 {
        var compose = Compose.submitted(by: "o", .repo, source: base + "/repos/sample")
        compose.arches = arches
        compose.packages = packages
        return try ComposeStore(c).insert(compose, secondsToLive: 3600).id
    }

    func row(_ c: PGConnection, _ id: Int64) throws -> (state: Int64, reason: String?) {
        let r = try c.query("SELECT state, state_reason FROM composes WHERE id = \(id)")
        return (try r.value("state"), try r.value("state_reason", as: String?.self))
    }

    func files(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: base + "/composes/" + relative)) ?? []).sorted()
    }

    @Test func aRepoComposeIsGeneratedAndPlaced() throws {
        let c = try database.connect()
        defer { c.close() }
        let id = try submit(c, packages: "kiln-hello")
        try job.run(workers: 1, once: true)
        let (state, reason) = try row(c, id)
        #expect(state == Int64(ComposeState.done.rawValue), "\(reason ?? "")")
        #expect(
            files("odcs-\(id)/compose/Temporary/x86_64/os/Packages/k")
                == ["kiln-hello-1.0-1.x86_64.rpm", "kiln-lib-1.1-1.noarch.rpm"])
        #expect(files("odcs-\(id)/compose/Temporary/x86_64/os/repodata").contains("repomd.xml"))
        #expect(files("odcs-\(id)/compose/metadata").contains("composeinfo.json"))
        // Nothing hidden is left behind: the staged tree was placed.
        #expect(files("").filter { $0.hasPrefix(".tmp-") }.isEmpty)
    }

    /// ODCS's rule: a package need only exist on one of the requested arches (kiln-hello is built for x86_64 only;
    /// kiln-doc is noarch and so exists on both).
    @Test func aPackageOnOneOfTheArchesIsEnough() throws {
        let c = try database.connect()
        defer { c.close() }
        let id = try submit(c, packages: "kiln-hello kiln-doc", arches: "x86_64 aarch64")
        try job.run(workers: 1, once: true)
        let (state, reason) = try row(c, id)
        #expect(state == Int64(ComposeState.done.rawValue), "\(reason ?? "")")
        #expect(
            files("odcs-\(id)/compose/Temporary/x86_64/os/Packages/k")
                == ["kiln-doc-1.0-1.noarch.rpm", "kiln-hello-1.0-1.x86_64.rpm", "kiln-lib-1.1-1.noarch.rpm"])
        #expect(files("odcs-\(id)/compose/Temporary/aarch64/os/Packages/k") == ["kiln-doc-1.0-1.noarch.rpm"])
        #expect(files("odcs-\(id)/compose/Temporary/aarch64/os/repodata").contains("repomd.xml"))
    }

    @Test func aPackageOnNoRequestedArchStillFailsNamingIt() throws {
        let c = try database.connect()
        defer { c.close() }
        let id = try submit(c, packages: "kiln-hello no-such-package", arches: "x86_64 aarch64")
        try job.run(workers: 1, once: true)
        let (state, reason) = try row(c, id)
        #expect(state == Int64(ComposeState.failed.rawValue))
        #expect(reason?.contains("Missing packages: no-such-package") == true, "\(reason ?? "")")
        #expect(reason?.contains("kiln-hello") == false, "\(reason ?? "")")
    }

    /// Arches name directories of the tree: one that is not an arch name (a row from before the API checked them,
    /// or a remote compose's rpms.json) fails the compose before anything is written.
    @Test func anArchThatIsNoArchNameFailsTheCompose() throws {
        let c = try database.connect()
        defer { c.close() }
        let id = try submit(c, packages: "kiln-doc", arches: "x86_64 ../../escape")
        try job.run(workers: 1, once: true)
        let (state, reason) = try row(c, id)
        #expect(state == Int64(ComposeState.failed.rawValue))
        #expect(reason?.contains("\"../../escape\" is not an arch name") == true, "\(reason ?? "")")
        #expect(!FileManager.default.fileExists(atPath: base + "/escape"))
        #expect(files("").filter { $0.hasPrefix(".tmp-") || $0 == "odcs-\(id)" }.isEmpty)
    }

    @Test func aComposeOfAPackageTheRepositoryLacksFailsWithTheSolversSentence() throws {
        let c = try database.connect()
        defer { c.close() }
        let id = try submit(c, packages: "no-such-package")
        try job.run(workers: 1, once: true)
        let (state, reason) = try row(c, id)
        #expect(state == Int64(ComposeState.failed.rawValue))
        #expect(reason?.contains("no-such-package") == true)
        #expect(files("").contains("odcs-\(id)") == false)
    }
}
