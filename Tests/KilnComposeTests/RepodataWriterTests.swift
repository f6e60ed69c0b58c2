import Foundation
import KilnCompose
import Testing

/// Repodata filtered from the source's metadata: libsolv reads it, and it lists exactly what createrepo_c lists for
/// the same files.
@Suite struct RepodataWriterTests {
    func tree(named name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kiln-repodata-\(name)-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: path + "/Packages/k", withIntermediateDirectories: true)
        return path
    }

    func primaryEntries(_ tree: String) throws -> [String] {
        let repomd = try String(contentsOfFile: tree + "/repodata/repomd.xml", encoding: .utf8)
        let start = try #require(repomd.range(of: "<data type=\"primary\">"))
        let rest = repomd[start.upperBound...]
        let href = try #require(rest.range(of: "href=\""))
        let file = String(rest[href.upperBound...].prefix(while: { $0 != "\"" }))
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gz.arguments = ["-dc", tree + "/" + file]
        let pipe = Pipe()
        gz.standardOutput = pipe
        try gz.run()
        let xml = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        gz.waitUntilExit()
        // name, arch and location of every package, in document order.
        var entries: [String] = []
        var cursor = xml[...]
        while let p = cursor.range(of: "<package type=\"rpm\">") {
            let block = cursor[p.upperBound...].prefix(while: { _ in true })
            func value(_ open: String, _ close: String) -> String {
                guard let a = block.range(of: open) else { return "?" }
                return String(block[a.upperBound...].prefix(while: { String($0) != close }))
            }
            entries.append("\(value("<name>", "<"))|\(value("<arch>", "<"))|\(value("<location href=\"", "\""))")
            cursor = cursor[p.upperBound...]
        }
        return entries.sorted()
    }

    @Test func filteredMetadataMatchesCreaterepoAndSolves() throws {
        let fixture = try SolverFixture.get()
        let solver = RepoSolver(arch: "x86_64")
        try solver.addRepository(name: "sample", path: fixture.sample)
        let selected = try solver.resolve(packages: ["kiln-hello", "kiln-extra"], noDeps: false, checkDeps: true)
            .selected
        #expect(selected.count == 4)

        let filtered = try tree(named: "filtered")
        let reference = try tree(named: "reference")
        defer {
            try? FileManager.default.removeItem(atPath: filtered)
            try? FileManager.default.removeItem(atPath: reference)
        }
        for package in selected {
            for tree in [filtered, reference] {
                try FileManager.default.copyItem(
                    atPath: fixture.sample + "/" + package.location, toPath: tree + "/Packages/k/" + package.fileName)
            }
        }
        try RepodataWriter.write(
            tree: filtered, source: try RepodataWriter.Source(repository: fixture.sample),
            selection: selected.map { .init(pkgid: $0.checksum!.hex, href: "Packages/k/" + $0.fileName) },
            timestamp: 1_700_000_000)
        let createrepo = Process()
        createrepo.executableURL = URL(fileURLWithPath: "/usr/bin/createrepo_c")
        createrepo.arguments = ["--quiet", "--no-database", reference]
        try createrepo.run()
        createrepo.waitUntilExit()
        #expect(createrepo.terminationStatus == 0)

        #expect(try primaryEntries(filtered) == primaryEntries(reference))
        #expect(
            try String(contentsOfFile: filtered + "/repodata/repomd.xml", encoding: .utf8).contains(
                "<revision>1700000000</revision>"))

        // libsolv reads the filtered tree and finds the same packages at their new locations.
        let check = RepoSolver(arch: "x86_64")
        try check.addRepository(name: "filtered", path: filtered)
        let again = try check.resolve(packages: ["kiln-hello", "kiln-extra"], noDeps: false, checkDeps: true).selected
        #expect(Set(again.map(\.nevra)) == Set(selected.map(\.nevra)))
        #expect(again.allSatisfy { $0.location.hasPrefix("Packages/k/") })
    }

    @Test func aPackageMissingFromTheSourceMetadataIsAnError() throws {
        let fixture = try SolverFixture.get()
        let target = try tree(named: "missing")
        defer { try? FileManager.default.removeItem(atPath: target) }
        #expect(throws: GenerationError.self) {
            try RepodataWriter.write(
                tree: target, source: try RepodataWriter.Source(repository: fixture.sample),
                selection: [.init(pkgid: String(repeating: "0", count: 64), href: "Packages/k/x.rpm")], timestamp: 0)
        }
    }
}
