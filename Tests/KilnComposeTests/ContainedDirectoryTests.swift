import Foundation
import KilnCompose
import KilnCore
import KilnPlatform
import Testing

/// Writes and deletes below a compose root never leave it: planted symlinks and `..` stop the walk, and a symlink at
/// the end of a path is replaced or removed itself, never followed.
@Suite struct ContainedDirectoryTests {
    let fm = FileManager.default

    /// A root and a sibling directory outside it holding a sentinel file.
    func layout() throws -> (root: String, outside: String) {
        let base = fm.temporaryDirectory.appendingPathComponent("kiln-contained-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: base + "/root", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: base + "/outside/keep", withIntermediateDirectories: true)
        try Data("sentinel".utf8).write(to: URL(fileURLWithPath: base + "/outside/keep/file"))
        return (base + "/root", base + "/outside")
    }

    func outsideIsIntact(_ outside: String) throws {
        #expect(try fm.contentsOfDirectory(atPath: outside).sorted() == ["keep"])
        #expect(try fm.contentsOfDirectory(atPath: outside + "/keep") == ["file"])
        #expect(try String(contentsOfFile: outside + "/keep/file", encoding: .utf8) == "sentinel")
    }

    @Test func nothingIsCreatedThroughASymlinkedDirectory() throws {
        let (root, outside) = try layout()
        try fm.createSymbolicLink(atPath: root + "/test", withDestinationPath: outside)
        let directory = try ContainedDirectory(path: root)
        #expect(throws: ContainmentError.self) {
            try directory.replaceSymlink("test/latest-odcs-1", target: "../odcs-1")
        }
        #expect(throws: ContainmentError.self) { try directory.createDirectories("test/new") }
        #expect(throws: ContainmentError.self) { try directory.replaceSymlink("../outside/x", target: "../odcs-1") }
        #expect(throws: ContainmentError.self) { try directory.createDirectories("a/../../outside/y") }
        try outsideIsIntact(outside)
    }

    @Test func aSymlinkAtTheEndIsReplacedNotFollowed() throws {
        let (root, outside) = try layout()
        try fm.createDirectory(atPath: root + "/test", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/test/latest-odcs-1", withDestinationPath: outside + "/keep/file")
        let directory = try ContainedDirectory(path: root)
        try directory.replaceSymlink("test/latest-odcs-1", target: "../odcs-1")
        #expect(try fm.destinationOfSymbolicLink(atPath: root + "/test/latest-odcs-1") == "../odcs-1")
        // A directory where a link goes is left alone.
        try fm.createDirectory(atPath: root + "/test/odcs-1-1-20260601.t.0", withIntermediateDirectories: true)
        #expect(throws: ContainmentError.self) {
            try directory.replaceSymlink("test/odcs-1-1-20260601.t.0", target: "../odcs-1")
        }
        try outsideIsIntact(outside)
    }

    @Test func deletingNeverFollowsASymlink() throws {
        let (root, outside) = try layout()
        try fm.createSymbolicLink(atPath: root + "/odcs-1", withDestinationPath: outside)
        try fm.createDirectory(atPath: root + "/odcs-2/compose", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/odcs-2/compose/escape", withDestinationPath: outside + "/keep")
        try fm.createSymbolicLink(atPath: root + "/via", withDestinationPath: outside)
        let directory = try ContainedDirectory(path: root)
        try directory.removeTree("odcs-1")
        try directory.removeTree("odcs-2")
        #expect(throws: ContainmentError.self) { try directory.removeTree("via/keep") }
        #expect(!directory.removeSymlink("via/keep/file") { _ in true })
        #expect(!fm.fileExists(atPath: root + "/odcs-1") && !fm.fileExists(atPath: root + "/odcs-2"))
        try outsideIsIntact(outside)
    }

    @Test func placingAComposeWithPlantedSymlinksStaysInTheRoot() throws {
        let (root, outside) = try layout()
        let writer = ComposeWriter(targetDir: root, name: "odcs-5")
        try fm.createDirectory(atPath: writer.stagedPath + "/compose", withIntermediateDirectories: true)
        try Data("odcs-5-1-20260601.n.0".utf8).write(to: URL(fileURLWithPath: writer.stagedPath + "/COMPOSE_ID"))
        // The nightly directory is a symlink out of the root; the final name is a symlink to the outside too.
        try fm.createSymbolicLink(atPath: root + "/nightly", withDestinationPath: outside)
        try fm.createSymbolicLink(atPath: root + "/odcs-5", withDestinationPath: outside + "/keep")
        let links = try ComposeLinks(
            composeID: 5, composeType: "nightly", pungiComposeID: "odcs-5-1-20260601.n.0", label: "RC-1.0")
        let failures = try writer.place(links: links)
        #expect(failures.count == 3)
        #expect(try String(contentsOfFile: root + "/odcs-5/COMPOSE_ID", encoding: .utf8) == "odcs-5-1-20260601.n.0")
        #expect(try fm.attributesOfItem(atPath: root + "/odcs-5")[.type] as? FileAttributeType == .typeDirectory)
        try outsideIsIntact(outside)

        // Taking it off again removes the tree and only links that point at it.
        try fm.removeItem(atPath: root + "/nightly")
        try writer.place(links: links)
        try fm.createSymbolicLink(atPath: root + "/nightly/other", withDestinationPath: "../odcs-6")
        try writer.unplace(linkDirectory: "nightly")
        #expect(try fm.contentsOfDirectory(atPath: root + "/nightly") == ["other"])
        #expect(!fm.fileExists(atPath: root + "/odcs-5"))
        try outsideIsIntact(outside)
    }
}
