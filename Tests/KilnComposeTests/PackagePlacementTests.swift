import Foundation
import KilnCompose
import KilnCore
import Testing

/// Placing packages into a compose: only regular files inside the repository root, opened without following
/// symlinks, of the size and checksum the metadata declares; nothing is left behind when one is refused.
@Suite struct PackagePlacementTests {
    let content = Array("not really an rpm, but bytes to check\n".utf8)
    /// sha256 of `content`.
    let digest = "c1b3c8b5d0b6b0a5bb9b0c7bfc9f2b6e35d4d1fa1d1e4a3a0e88e2f5e1a9f0b1"

    struct Scratch {
        let root: String
        let repo: String
        let target: String
    }

    func scratch() throws -> Scratch {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-place-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/repo/Packages/k", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/target", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: root + "/repo/Packages/k/kiln-a.txt", contents: Data(content))
        _ = FileManager.default.createFile(atPath: root + "/outside/kiln-a.txt", contents: Data(content))
        return Scratch(root: root, repo: root + "/repo", target: root + "/target")
    }

    func sha256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(out.prefix(64))
    }

    func write(_ s: Scratch, _ placement: ComposeWriter.Placement) throws {
        let metadata = ProductmdMetadata(
            composeID: ProductmdMetadata.composeID(composeNumber: 1, composeType: "test", date: "20260101", respin: 0),
            label: nil, releaseName: "odcs-1", arches: ["x86_64"], entries: [])
        let writer = ComposeWriter(targetDir: s.target, name: "odcs-1")
        _ = try writer.write(
            placements: [placement], repositories: ["Temporary/x86_64/os"], metadata: metadata, repoFile: "",
            log: GenerationLog(directory: s.root, name: "odcs-1")
        ) { _, _, _ in }
    }

    func placement(
        _ s: Scratch, location: String = "Packages/k/kiln-a.txt", checksum: String?, size: Int64?
    ) -> ComposeWriter.Placement {
        ComposeWriter.Placement(
            root: s.repo, location: location, relativePath: "Temporary/x86_64/os/Packages/k/kiln-a.txt",
            pkgid: checksum, checksumType: checksum == nil ? nil : "sha256", size: size)
    }

    /// The error's sentence, and that nothing of the compose exists.
    func refusal(_ s: Scratch, _ placement: ComposeWriter.Placement) throws -> String {
        var message = ""
        do {
            try write(s, placement)
            Issue.record("the placement was accepted")
        } catch {
            message = "\(error)"
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.target).isEmpty)
        return message
    }

    @Test func aVerifiedFileIsHardLinkedAsTheSameInode() throws {
        let s = try scratch()
        let sum = try sha256(s.repo + "/Packages/k/kiln-a.txt")
        try write(s, placement(s, checksum: sum, size: Int64(content.count)))
        let staged = s.target + "/" + ComposeWriter.stagedName(name: "odcs-1")
        let placed = staged + "/compose/Temporary/x86_64/os/Packages/k/kiln-a.txt"
        let attributes = try FileManager.default.attributesOfItem(atPath: placed)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        let source = try FileManager.default.attributesOfItem(atPath: s.repo + "/Packages/k/kiln-a.txt")
        #expect(attributes[.systemFileNumber] as? Int == source[.systemFileNumber] as? Int)
        #expect(FileManager.default.contents(atPath: placed) == Data(content))
        // A checksum type named "sha" is SHA-1; its digest is checked as well.
        let t = try scratch()
        var sha1 = placement(t, checksum: "0000000000000000000000000000000000000000", size: nil)
        sha1.checksumType = "sha"
        #expect(try refusal(t, sha1) == "kiln-a.txt does not match its repository metadata (sha mismatch)")
    }

    @Test func aFileThatDoesNotMatchItsMetadataIsRefused() throws {
        let s = try scratch()
        let sum = try sha256(s.repo + "/Packages/k/kiln-a.txt")
        #expect(
            try refusal(s, placement(s, checksum: digest, size: Int64(content.count)))
                == "kiln-a.txt does not match its repository metadata (sha256 mismatch)")
        #expect(
            try refusal(s, placement(s, checksum: sum, size: Int64(content.count) + 1))
                == "kiln-a.txt does not match its repository metadata (size mismatch)")
        #expect(
            try refusal(s, placement(s, checksum: nil, size: nil))
                == "kiln-a.txt has no checksum in its repository metadata")
        // Nothing half-written stays in the target directory, and the source is untouched.
        #expect(FileManager.default.contents(atPath: s.repo + "/Packages/k/kiln-a.txt") == Data(content))
    }

    @Test func symlinksAndLocationsOutsideTheRootAreRefused() throws {
        let s = try scratch()
        let sum = try sha256(s.repo + "/Packages/k/kiln-a.txt")
        let expected = "kiln-a.txt is not a regular file inside its repository (a symlink, or a location outside it)"
        // The same bytes reached through `..`: refused although they would match.
        #expect(try refusal(s, placement(s, location: "../outside/kiln-a.txt", checksum: sum, size: nil)) == expected)
        let through = placement(s, location: "Packages/../../outside/kiln-a.txt", checksum: sum, size: nil)
        #expect(try refusal(s, through) == expected)
        // The package file is a symlink to a matching file outside the root.
        try FileManager.default.removeItem(atPath: s.repo + "/Packages/k/kiln-a.txt")
        try FileManager.default.createSymbolicLink(
            atPath: s.repo + "/Packages/k/kiln-a.txt", withDestinationPath: s.root + "/outside/kiln-a.txt")
        #expect(try refusal(s, placement(s, checksum: sum, size: nil)) == expected)
        // A symlinked directory on the way.
        try FileManager.default.removeItem(atPath: s.repo + "/Packages/k")
        try FileManager.default.createSymbolicLink(
            atPath: s.repo + "/Packages/k", withDestinationPath: s.root + "/outside")
        #expect(try refusal(s, placement(s, checksum: sum, size: nil)) == expected)
        // A directory, a FIFO: not regular files.
        try FileManager.default.removeItem(atPath: s.repo + "/Packages/k")
        try FileManager.default.createDirectory(
            atPath: s.repo + "/Packages/k/kiln-a.txt", withIntermediateDirectories: true)
        #expect(try refusal(s, placement(s, checksum: sum, size: nil)) == expected)
        #expect(mkfifo(s.repo + "/Packages/fifo.txt", 0o644) == 0)
        #expect(
            try refusal(s, placement(s, location: "Packages/fifo.txt", checksum: sum, size: nil))
                == "fifo.txt is not a regular file inside its repository (a symlink, or a location outside it)")
    }

    @Test func metadataOutsideTheRepositoryIsNotRead() throws {
        let s = try scratch()
        try FileManager.default.createDirectory(atPath: s.repo + "/repodata", withIntermediateDirectories: true)
        let repomd = """
            <?xml version="1.0" encoding="UTF-8"?>
            <repomd xmlns="http://linux.duke.edu/metadata/repo"><revision>1</revision>
            <data type="primary"><location href="../outside/primary.xml.gz"/></data></repomd>
            """
        try repomd.write(toFile: s.repo + "/repodata/repomd.xml", atomically: true, encoding: .utf8)
        let solver = RepoSolver(arch: "x86_64")
        #expect(throws: SolverError.self) { try solver.addRepository(name: "source", path: s.repo) }
        do {
            try solver.addRepository(name: "source", path: s.repo)
        } catch {
            #expect(error.message == "Repository source: repomd.xml names metadata outside the repository")
        }
        #expect(throws: GenerationError.self) { try RepodataWriter.Source(repository: s.repo) }
    }
}
