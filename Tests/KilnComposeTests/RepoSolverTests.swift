import Foundation
import KilnCompose
import KilnCore
import KilnTesting
import Testing

/// Repositories the tests solve against, built once per test process:
/// - `sample`: `scripts/build-sample-repo` output (every fixture package and its SRPM);
/// - `main` + `lookaside`: the sample split in two, kiln-lib's RPMs only in `lookaside`, the rest only in `main`;
/// - `files`: hand-written metadata whose only dependency is a file listed in filelists.xml, not in primary.xml.
struct SolverFixture: Sendable {
    var sample: String
    var main: String
    var lookaside: String
    var files: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Everything the fixture writes lives here; removed when the test process exits.
    static let basePath = FileManager.default.temporaryDirectory
        .appendingPathComponent("kiln-solver-\(getpid())-\(UUID().uuidString)").path

    static let shared: Result<SolverFixture, Failure> = Result { () throws(Failure) in try build() }

    static func get() throws -> SolverFixture {
        switch shared {
        case .success(let fixture):
            return fixture
        case .failure(let failure):
            throw failure // fails the test with the reason (a missing tool, a failed script)
        }
    }

    private static func build() throws(Failure) -> SolverFixture {
        for tool in ["rpmbuild", "createrepo_c"] where Tool.find(tool) == nil {
            throw Failure(
                description: "\(tool) is needed to build the sample repository and was not found on PATH "
                    + "(apt-get install -y rpm createrepo-c)")
        }
        let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = repoRoot.appendingPathComponent("scripts/build-sample-repo").path
        guard FileManager.default.isExecutableFile(atPath: script) else {
            throw Failure(description: "\(script) is missing or not executable")
        }
        let base = URL(fileURLWithPath: basePath)
        atexit { try? FileManager.default.removeItem(atPath: SolverFixture.basePath) }
        let sample = base.appendingPathComponent("sample").path
        try run(script, [sample])

        let main = base.appendingPathComponent("main").path
        let lookaside = base.appendingPathComponent("lookaside").path
        do {
            let files = FileManager.default
            try files.createDirectory(atPath: main, withIntermediateDirectories: true)
            try files.createDirectory(atPath: lookaside, withIntermediateDirectories: true)
            for file in try files.contentsOfDirectory(atPath: sample) where file.hasSuffix(".rpm") {
                let target = file.hasPrefix("kiln-lib-") ? lookaside : main
                try files.copyItem(atPath: sample + "/" + file, toPath: target + "/" + file)
            }
        } catch {
            throw Failure(description: "cannot split the sample repository: \(error)")
        }
        try run("createrepo_c", ["--quiet", "--revision", "1700000001", main])
        try run("createrepo_c", ["--quiet", "--revision", "1700000002", lookaside])

        let filesRepo = base.appendingPathComponent("files").path
        try writeFilesRepository(filesRepo)
        return SolverFixture(sample: sample, main: main, lookaside: lookaside, files: filesRepo)
    }

    private static func run(_ tool: String, _ arguments: [String]) throws(Failure) {
        do {
            try Tool.run(tool, arguments)
        } catch {
            throw Failure(description: error.description)
        }
    }

    /// A repository with uncompressed metadata: `kiln-needs-file` requires `/opt/kiln/marker`, which only the
    /// filelists of `kiln-has-file` mention (primary.xml lists only /etc, /usr/bin-style paths).
    private static func writeFilesRepository(_ root: String) throws(Failure) {
        func package(_ name: String, pkgid: String, requires: String, location: String) -> String {
            """
            <package type="rpm">
              <name>\(name)</name>
              <arch>noarch</arch>
              <version epoch="0" ver="1.0" rel="1"/>
              <checksum type="sha256" pkgid="YES">\(pkgid)</checksum>
              <location href="\(location)"/>
              <format>
                <rpm:sourcerpm>\(name)-1.0-1.src.rpm</rpm:sourcerpm>
                <rpm:provides><rpm:entry name="\(name)" flags="EQ" epoch="0" ver="1.0" rel="1"/></rpm:provides>
                \(requires)
              </format>
            </package>
            """
        }
        let needsID = String(repeating: "a", count: 64)
        let hasID = String(repeating: "b", count: 64)
        let primary = """
            <?xml version="1.0" encoding="UTF-8"?>
            <metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm"
                packages="2">
            \(package("kiln-needs-file", pkgid: needsID,
                      requires: "<rpm:requires><rpm:entry name=\"/opt/kiln/marker\"/></rpm:requires>",
                      location: "Packages/k/kiln-needs-file-1.0-1.noarch.rpm"))
            \(package("kiln-has-file", pkgid: hasID, requires: "",
                      location: "Packages/k/kiln-has-file-1.0-1.noarch.rpm"))
            </metadata>
            """
        let filelists = """
            <?xml version="1.0" encoding="UTF-8"?>
            <filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="2">
            <package pkgid="\(needsID)" name="kiln-needs-file" arch="noarch">
              <version epoch="0" ver="1.0" rel="1"/>
            </package>
            <package pkgid="\(hasID)" name="kiln-has-file" arch="noarch">
              <version epoch="0" ver="1.0" rel="1"/>
              <file type="dir">/opt/kiln</file>
              <file>/opt/kiln/marker</file>
            </package>
            </filelists>
            """
        let repomd = """
            <?xml version="1.0" encoding="UTF-8"?>
            <repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
              <revision>files-1</revision>
              <data type="primary"><location href="repodata/primary.xml"/></data>
              <data type="filelists"><location href="repodata/filelists.xml"/></data>
            </repomd>
            """
        do {
            try FileManager.default.createDirectory(atPath: root + "/repodata", withIntermediateDirectories: true)
            try primary.write(toFile: root + "/repodata/primary.xml", atomically: true, encoding: .utf8)
            try filelists.write(toFile: root + "/repodata/filelists.xml", atomically: true, encoding: .utf8)
            try repomd.write(toFile: root + "/repodata/repomd.xml", atomically: true, encoding: .utf8)
        } catch {
            throw Failure(description: "cannot write the filelists repository: \(error)")
        }
    }
}

@Suite struct RepoSolverTests {
    func sampleSolver(arch: String = "x86_64") throws -> RepoSolver {
        let fixture = try SolverFixture.get()
        let solver = RepoSolver(arch: arch)
        try solver.addRepository(name: "sample", path: fixture.sample)
        return solver
    }

    @Test func allPackagesTakesTheLatestOfEachNameAndSkipsSources() throws {
        let solver = try sampleSolver()
        let resolution = try solver.resolve(packages: [], noDeps: false, checkDeps: false)
        #expect(
            resolution.selected.map(\.nevra) == [
                "kiln-broken-0:1.0-1.noarch",
                "kiln-doc-0:1.0-1.noarch",
                "kiln-extra-0:2.0-1.noarch",
                "kiln-hello-0:1.0-1.x86_64",
                "kiln-hello-debuginfo-0:1.0-1.x86_64",
                "kiln-lib-0:1.1-1.noarch",
                "kiln-tools-1:3.0~rc1-2.x86_64",
            ])
        #expect(resolution.problems.count == 1)
        #expect(resolution.problems.first?.contains("kiln-missing-dependency") == true)
        #expect(resolution.selected.allSatisfy { $0.repository == "sample" && $0.sourceRPM != nil })
    }

    @Test func allPackagesWithCheckDepsReportsTheBrokenOne() throws {
        let solver = try sampleSolver()
        let error = #expect(throws: SolverError.self) {
            try solver.resolve(packages: [], noDeps: false, checkDeps: true)
        }
        #expect(error?.code == .brokenDependencies)
        #expect(error?.message.contains("kiln-missing-dependency") == true)
    }

    @Test func requestedPackagePullsTheLatestDependency() throws {
        let solver = try sampleSolver()
        let resolution = try solver.resolve(packages: ["kiln-hello"], noDeps: false, checkDeps: true)
        #expect(resolution.selected.map(\.nevra) == ["kiln-hello-0:1.0-1.x86_64", "kiln-lib-0:1.1-1.noarch"])
        #expect(resolution.problems.isEmpty)
        let hello = try #require(resolution.selected.first)
        #expect(hello.location == "kiln-hello-1.0-1.x86_64.rpm")
        #expect(hello.fileName == "kiln-hello-1.0-1.x86_64.rpm")
        #expect(hello.sourceRPM == "kiln-hello-1.0-1.src.rpm")
        #expect(hello.checksum?.type == "sha256")
        #expect(hello.checksum?.hex.count == 64)
    }

    @Test func transitiveDependencies() throws {
        let solver = try sampleSolver()
        let resolution = try solver.resolve(packages: ["kiln-extra", "kiln-tools"], noDeps: false, checkDeps: true)
        #expect(resolution.selected.map(\.name) == ["kiln-doc", "kiln-extra", "kiln-tools"])
    }

    @Test func noDepsReturnsOnlyTheRequested() throws {
        let solver = try sampleSolver()
        let resolution = try solver.resolve(packages: ["kiln-hello"], noDeps: true, checkDeps: true)
        #expect(resolution.selected.map(\.nevra) == ["kiln-hello-0:1.0-1.x86_64"])
    }

    @Test func missingNamesAreListedSorted() throws {
        let solver = try sampleSolver()
        let error = #expect(throws: SolverError.self) {
            try solver.resolve(packages: ["kiln-zzz", "kiln-hello", "kiln-aaa"], noDeps: false, checkDeps: true)
        }
        #expect(error?.code == .missingPackages)
        #expect(error?.message == "Missing packages: kiln-aaa, kiln-zzz")
        #expect(error?.details == ["kiln-aaa", "kiln-zzz"])
    }

    @Test func sourcePackagesAreNeverSelectedByName() throws {
        let solver = try sampleSolver()
        // Only kiln-hello's SRPM is named kiln-hello-... with arch src; the binary is still the one chosen.
        let resolution = try solver.resolve(packages: ["kiln-doc"], noDeps: true, checkDeps: true)
        #expect(resolution.selected.map(\.arch) == ["noarch"])
    }

    @Test func brokenDependencyFailsWithCheckDeps() throws {
        let solver = try sampleSolver()
        let error = #expect(throws: SolverError.self) {
            try solver.resolve(packages: ["kiln-broken", "kiln-hello"], noDeps: false, checkDeps: true)
        }
        #expect(error?.code == .brokenDependencies)
        #expect(error?.message.hasPrefix("Broken dependencies: ") == true)
        #expect(error?.message.contains("kiln-missing-dependency") == true)
    }

    @Test func brokenDependencyIsToleratedWithoutCheckDeps() throws {
        let solver = try sampleSolver()
        let resolution = try solver.resolve(packages: ["kiln-broken", "kiln-hello"], noDeps: false, checkDeps: false)
        #expect(
            resolution.selected.map(\.nevra) == [
                "kiln-broken-0:1.0-1.noarch", "kiln-hello-0:1.0-1.x86_64", "kiln-lib-0:1.1-1.noarch",
            ])
        #expect(resolution.problems.count == 1)
        #expect(resolution.problems.first?.contains("kiln-missing-dependency") == true)
    }

    @Test func lookasideSatisfiesDependenciesWithoutBeingSelected() throws {
        let fixture = try SolverFixture.get()
        let solver = RepoSolver(arch: "x86_64")
        try solver.addRepository(name: "main", path: fixture.main)
        try solver.addRepository(name: "lookaside", path: fixture.lookaside, lookaside: true)
        let resolution = try solver.resolve(packages: ["kiln-hello"], noDeps: false, checkDeps: true)
        #expect(resolution.selected.map(\.nevra) == ["kiln-hello-0:1.0-1.x86_64"])
        #expect(resolution.selected.first?.repository == "main")

        let all = try solver.resolve(packages: [], noDeps: false, checkDeps: false)
        #expect(!all.selected.contains { $0.name == "kiln-lib" })
        #expect(all.selected.contains { $0.name == "kiln-hello" })

        // Without the lookaside, kiln-hello's dependency is unsatisfiable.
        let alone = RepoSolver(arch: "x86_64")
        try alone.addRepository(name: "main", path: fixture.main)
        #expect(throws: SolverError.self) {
            try alone.resolve(packages: ["kiln-hello"], noDeps: false, checkDeps: true)
        }
    }

    @Test func lookasidePackagesAreNotSourcesOfTheCompose() throws {
        let fixture = try SolverFixture.get()
        let solver = RepoSolver(arch: "x86_64")
        try solver.addRepository(name: "main", path: fixture.main)
        try solver.addRepository(name: "lookaside", path: fixture.lookaside, lookaside: true)
        #expect(solver.sourcePackage(named: "kiln-lib-1.1-1.src.rpm") == nil)
        #expect(solver.sourcePackage(named: "kiln-hello-1.0-1.src.rpm")?.repository == "main")
    }

    @Test func otherArchitectureCannotSelectX86Packages() throws {
        let solver = try sampleSolver(arch: "aarch64")
        let error = #expect(throws: SolverError.self) {
            try solver.resolve(packages: ["kiln-hello", "kiln-lib"], noDeps: false, checkDeps: true)
        }
        #expect(error?.code == .missingPackages)
        #expect(error?.message == "Missing packages: kiln-hello")
        let noarch = try solver.resolve(packages: ["kiln-extra"], noDeps: false, checkDeps: true)
        #expect(noarch.selected.map(\.name) == ["kiln-doc", "kiln-extra"])
        let all = try solver.resolve(packages: [], noDeps: false, checkDeps: false)
        #expect(all.selected.allSatisfy { $0.arch == "noarch" })
    }

    @Test func epochAndTildeSurvive() throws {
        let solver = try sampleSolver()
        let resolution = try solver.resolve(packages: ["kiln-tools"], noDeps: true, checkDeps: true)
        let tools = try #require(resolution.selected.first)
        #expect(tools.epoch == 1)
        #expect(tools.version == "3.0~rc1")
        #expect(tools.release == "2")
        #expect(tools.nevra == "kiln-tools-1:3.0~rc1-2.x86_64")
        #expect(tools.sourceRPM == "kiln-tools-3.0~rc1-2.src.rpm")
    }

    @Test func sourcePackageLookup() throws {
        let solver = try sampleSolver()
        let resolution = try solver.resolve(packages: ["kiln-hello"], noDeps: true, checkDeps: true)
        let sourceRPM = try #require(resolution.selected.first?.sourceRPM)
        let source = try #require(solver.sourcePackage(named: sourceRPM))
        #expect(source.arch == "src")
        #expect(source.name == "kiln-hello")
        #expect(source.fileName == "kiln-hello-1.0-1.src.rpm")
        #expect(source.sourceRPM == nil)
        #expect(solver.sourcePackage(named: "kiln-nothing-1-1.src.rpm") == nil)
        // Binary file names are not source packages.
        #expect(solver.sourcePackage(named: "kiln-hello-1.0-1.x86_64.rpm") == nil)
    }

    @Test func repomdRevision() throws {
        let fixture = try SolverFixture.get()
        let solver = try sampleSolver()
        #expect(solver.revision(of: "sample") == "1700000000")
        #expect(solver.revision(of: "other") == nil)
        try solver.addRepository(name: "files", path: fixture.files)
        #expect(solver.revision(of: "files") == "files-1")
    }

    @Test func fileRequiresResolveThroughFilelists() throws {
        let fixture = try SolverFixture.get()
        let solver = RepoSolver(arch: "x86_64")
        try solver.addRepository(name: "files", path: fixture.files)
        let resolution = try solver.resolve(packages: ["kiln-needs-file"], noDeps: false, checkDeps: true)
        #expect(resolution.selected.map(\.name) == ["kiln-has-file", "kiln-needs-file"])
        #expect(resolution.selected.first?.location == "Packages/k/kiln-has-file-1.0-1.noarch.rpm")
        #expect(resolution.selected.first?.fileName == "kiln-has-file-1.0-1.noarch.rpm")
    }

    @Test func unreadableRepository() throws {
        let solver = RepoSolver(arch: "x86_64")
        let error = #expect(throws: SolverError.self) {
            try solver.addRepository(name: "nowhere", path: "/nonexistent/kiln-repo")
        }
        #expect(error?.code == .repositoryUnreadable)
        #expect(solver.revision(of: "nowhere") == nil)
    }
}
