internal import Foundation
public import KilnCore

/// Lays a compose out on disk (wire reference §5.1): RPMs linked into `compose/Temporary/<arch>/{os,debug/tree}` and
/// `source/tree`, repodata from createrepo_c, productmd metadata, the `.repo` file. Everything is built in a hidden
/// temporary directory on the same filesystem and renamed into place, so `<target_dir>/odcs-<id>` is always whole.
public struct ComposeWriter: Sendable {
    /// One RPM to place: the repository root it comes from and its location there (as the metadata gives it), where
    /// it goes relative to `compose/`, and what the metadata declares about it.
    public struct Placement: Sendable, Hashable {
        /// The repository's directory (the one holding `repodata/`), symlinks already resolved.
        public var root: String
        public var location: String
        public var relativePath: String
        /// The package's checksum as the source metadata lists it (its pkgid), and its type (`sha256`, ...).
        public var pkgid: String?
        public var checksumType: String?
        /// The package file's size in bytes as the metadata lists it, when it does.
        public var size: Int64?

        public init(
            root: String, location: String, relativePath: String, pkgid: String?, checksumType: String?, size: Int64?
        ) {
            self.root = root
            self.location = location
            self.relativePath = relativePath
            self.pkgid = pkgid
            self.checksumType = checksumType
            self.size = size
        }

        public var source: String { root + "/" + location }
        public var fileName: String { location.split(separator: "/").last.map(String.init) ?? location }
    }

    public let targetDir: String
    public let name: String
    public let createrepo: String

    public init(targetDir: String, name: String, createrepo: String = "/usr/bin/createrepo_c") {
        self.targetDir = targetDir
        self.name = name
        self.createrepo = createrepo
    }

    public var finalPath: String { targetDir + "/" + name }

    /// The temporary directories of this compose, for any process (the recovery removes a dead generator's).
    public static func temporaryPrefix(name: String) -> String { ".tmp-\(name)-" }

    /// This process's work directory for compose `name` (`purpose` tells several apart): hidden, on the compose
    /// directory's filesystem, and named so the recovery of a dead generator finds it by `temporaryPrefix`.
    public static func workPath(targetDir: String, name: String, purpose: String = "") -> String {
        "\(targetDir)/\(temporaryPrefix(name: name))\(ProcessInfo.processInfo.hostName)-\(getpid())" + (purpose.isEmpty ? "" : "-\(purpose)")
    }

    /// `Packages/<first letter of the file name, lowercased>/<file>` as Pungi lays RPMs out.
    public static func packagePath(tree: String, fileName: String) -> String {
        "\(tree)/Packages/\(fileName.first.map { String($0).lowercased() } ?? "_")/\(fileName)"
    }

    /// Builds the compose and renames it into place. `progress` is called with (phase, done, total).
    /// With `metadataSource` (the source repository's metadata), each tree's repodata is filtered from it instead
    /// of being rebuilt by createrepo_c from the RPM files.
    public func write(
        placements: [Placement], repositories: [String], metadata: ProductmdMetadata, repoFile: String, log: GenerationLog,
        metadataSource: RepodataWriter.Source? = nil, progress: (String, Int, Int) -> Void
    ) throws -> String {
        let fm = FileManager.default
        let temporary = Self.workPath(targetDir: targetDir, name: name)
        try? fm.removeItem(atPath: temporary)
        do {
            try fm.createDirectory(atPath: temporary + "/compose/metadata", withIntermediateDirectories: true)
            try write(metadata.composeID.description, to: temporary + "/COMPOSE_ID")
            try write("STARTED\n", to: temporary + "/STATUS")

            // Each file is opened below its repository's root without following symlinks, checked against the size
            // and checksum its metadata declares, and that same inode is linked (or copied): nothing else gets in.
            log.write("Placing \(placements.count) packages")
            for (index, placement) in placements.enumerated() {
                let destination = temporary + "/compose/" + placement.relativePath
                try fm.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                do {
                    let fd = try PackageFile.openBeneath(
                        root: placement.root, relative: placement.location, fileName: placement.fileName)
                    defer { close(fd) }
                    try PackageFile.verify(
                        fd, fileName: placement.fileName, size: placement.size, checksumType: placement.checksumType,
                        checksum: placement.pkgid)
                    try PackageFile.place(fd, at: destination, fileName: placement.fileName)
                } catch {
                    log.write("ERROR: \(error.description): \(error.detail)")
                    throw error
                }
                if index % 50 == 0 || index == placements.count - 1 { progress("placing packages", index + 1, placements.count) }
            }

            // One createrepo_c per tree, all at once (they are independent). No sqlite databases: dnf and libsolv
            // read the XML metadata, and the databases would double the time.
            progress("createrepo", 0, repositories.count)
            log.write(metadataSource == nil ? "createrepo_c over \(repositories.count) trees" : "repodata for \(repositories.count) trees from the source metadata")
            for repository in repositories {
                try fm.createDirectory(atPath: temporary + "/compose/" + repository, withIntermediateDirectories: true)
            }
            let failures = Failures()
            let timestamp = Int(Date().timeIntervalSince1970)
            DispatchQueue.concurrentPerform(iterations: repositories.count) { index in
                let tree = repositories[index]
                let inTree = placements.filter { $0.relativePath.hasPrefix(tree + "/") }
                do {
                    if let metadataSource, inTree.allSatisfy({ $0.pkgid != nil }) {
                        try RepodataWriter.write(
                            tree: temporary + "/compose/" + tree, source: metadataSource,
                            selection: inTree.map { .init(pkgid: $0.pkgid!, href: String($0.relativePath.dropFirst(tree.count + 1))) },
                            timestamp: timestamp)
                    } else {
                        try run(createrepo, ["--quiet", "--no-database", "--general-compress-type=gz", "--checksum=sha256",
                                             temporary + "/compose/" + tree])
                    }
                } catch {
                    failures.add(error)
                }
            }
            if let error = failures.first { throw error }
            progress("createrepo", repositories.count, repositories.count)
            log.write("repodata done")

            progress("metadata", 0, 1)
            try write(metadata.composeInfo().serialized(), to: temporary + "/compose/metadata/composeinfo.json")
            try write(metadata.rpms().serialized(), to: temporary + "/compose/metadata/rpms.json")
            try fm.createDirectory(atPath: temporary + "/work/global", withIntermediateDirectories: true)
            try write(metadata.composeInfo(withVariants: false).serialized(), to: temporary + "/work/global/composeinfo-base.json")
            try fm.createDirectory(atPath: temporary + "/compose/Temporary", withIntermediateDirectories: true)
            try write(repoFile, to: temporary + "/compose/Temporary/\(name).repo")
            try write("FINISHED\n", to: temporary + "/STATUS")
            log.write("Compose \(metadata.composeID) written")
            try fm.createDirectory(atPath: temporary + "/logs/global", withIntermediateDirectories: true)
            try? fm.copyItem(atPath: log.path, toPath: temporary + "/logs/global/pungi.global.log")
            try? fm.copyItem(atPath: log.path, toPath: temporary + "/pungi-stderr.log")

            // Into place: an old directory of the same name (a previous attempt) is swapped out, never merged.
            try moveIntoPlace(temporary)
            progress("metadata", 1, 1)
            return finalPath
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
    }

    /// A compose that is only a `.repo` file (a `pulp` compose), plus empty repositories when it has none (ODCS
    /// creates `Temporary/<arch>/os` for each allowed arch then). Renamed into place whole, like any compose.
    public func writeRepoFileOnly(repoFile: String, emptyRepositories: [String], log: GenerationLog) throws -> String {
        let fm = FileManager.default
        let temporary = Self.workPath(targetDir: targetDir, name: name)
        try? fm.removeItem(atPath: temporary)
        do {
            try fm.createDirectory(atPath: temporary + "/compose/Temporary", withIntermediateDirectories: true)
            for repository in emptyRepositories {
                let directory = temporary + "/compose/" + repository
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try run(createrepo, ["--quiet", "--no-database", "--general-compress-type=gz", directory])
            }
            try write(repoFile, to: temporary + "/compose/Temporary/\(name).repo")
            try? fm.copyItem(atPath: log.path, toPath: temporary + "/pungi-stderr.log")
            try moveIntoPlace(temporary)
            return finalPath
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
    }

    /// ODCS's links to a finished compose in `<target_dir>/<compose_type>/` (wire reference §6): `<pungi id>`,
    /// `latest-<first two dash fields of the pungi id>` and, with a label, that name plus `-<label>`; all relative
    /// (`../odcs-<id>`), each replaced if it exists.
    public func writeSymlinks(composeType: String, pungiComposeID: String, label: String?) throws {
        let directory = targetDir + "/" + composeType
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let latest = "latest-" + pungiComposeID.split(separator: "-").prefix(2).joined(separator: "-")
        var names = [pungiComposeID, latest]
        if let label, !label.isEmpty { names.append(latest + "-" + label) }
        for name in names {
            let link = directory + "/" + name
            unlink(link)
            guard symlink("../" + self.name, link) == 0 else {
                throw ComposeWriterError(message: "cannot create the symlink \(link): errno \(errno)")
            }
        }
    }

    /// Renames a finished temporary directory to `finalPath`; an old directory of that name is swapped out whole.
    private func moveIntoPlace(_ temporary: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: finalPath) {
            let old = "\(temporary)-old"
            try fm.moveItem(atPath: finalPath, toPath: old)
            try fm.moveItem(atPath: temporary, toPath: finalPath)
            try? fm.removeItem(atPath: old)
        } else {
            try fm.moveItem(atPath: temporary, toPath: finalPath)
        }
    }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ComposeWriterError(message: "\(executable) failed: \(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}

/// Errors collected from concurrent work.
final class Failures: @unchecked Sendable {
    // Guarded by `lock`; written from concurrentPerform's threads, read after they all finished.
    private let lock = NSLock()
    private var errors: [any Error] = []
    func add(_ error: any Error) { lock.lock(); errors.append(error); lock.unlock() }
    var first: (any Error)? { lock.lock(); defer { lock.unlock() }; return errors.first }
}

public struct ComposeWriterError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
