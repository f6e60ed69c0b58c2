internal import Foundation
public import KilnCore
public import KilnPlatform

/// Lays a compose out on disk as Pungi and ODCS do: RPMs linked into `compose/Temporary/<arch>/{os,debug/tree}` and
/// `source/tree`, repodata from createrepo_c, productmd metadata, the `.repo` file. Everything is built in a hidden
/// temporary directory on the same filesystem, renamed whole to the hidden staged name `.tmp-odcs-<id>-ready`, and
/// only `place` (after the compose is recorded done) puts it at `<target_dir>/odcs-<id>`, where httpd serves it.
/// Whatever is served is whole and belongs to a done compose.
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

    /// The finished tree waiting to be placed: hidden (httpd refuses `.tmp-*`).
    public var stagedPath: String { targetDir + "/" + Self.stagedName(name: name) }

    public static func stagedName(name: String) -> String { temporaryPrefix(name: name) + "ready" }

    /// The temporary directories of this compose, for any process (the recovery removes a dead generator's).
    public static func temporaryPrefix(name: String) -> String { ".tmp-\(name)-" }

    /// This process's work directory for compose `name` (`purpose` tells several apart): hidden, on the compose
    /// directory's filesystem, and named so the recovery of a dead generator finds it by `temporaryPrefix`.
    public static func workPath(targetDir: String, name: String, purpose: String = "") -> String {
        "\(targetDir)/\(temporaryPrefix(name: name))\(ProcessInfo.processInfo.hostName)-\(getpid())"
            + (purpose.isEmpty ? "" : "-\(purpose)")
    }

    /// `Packages/<first letter of the file name, lowercased>/<file>` as Pungi lays RPMs out.
    public static func packagePath(tree: String, fileName: String) -> String {
        "\(tree)/Packages/\(fileName.first.map { String($0).lowercased() } ?? "_")/\(fileName)"
    }

    /// Builds the compose and renames it into place. `progress` is called with (phase, done, total).
    /// With `metadataSource` (the source repository's metadata), each tree's repodata is filtered from it instead
    /// of being rebuilt by createrepo_c from the RPM files. With `isoTools`, an ISO image of each arch's package
    /// tree is made too and listed in `metadata/images.json`.
    public func write(
        placements: [Placement], repositories: [String], metadata: ProductmdMetadata, repoFile: String,
        log: GenerationLog,
        metadataSource: RepodataWriter.Source? = nil, isoTools: ISOTools? = nil, progress: (String, Int, Int) -> Void
    ) throws -> String {
        var metadata = metadata
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
            progress("placing packages", 0, placements.count)
            DrillPause.at("placing")
            for (index, placement) in placements.enumerated() {
                let destination = temporary + "/compose/" + placement.relativePath
                try fm.createDirectory(
                    atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
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
                if index % 50 == 0 || index == placements.count - 1 {
                    progress("placing packages", index + 1, placements.count)
                }
            }

            // One createrepo_c per tree, as many at once as there are cores (they are independent). No sqlite
            // databases: dnf and libsolv read the XML metadata, and the databases would double the time.
            progress("createrepo", 0, repositories.count)
            log.write(
                metadataSource == nil
                    ? "createrepo_c over \(repositories.count) trees"
                    : "repodata for \(repositories.count) trees from the source metadata")
            for repository in repositories {
                try fm.createDirectory(atPath: temporary + "/compose/" + repository, withIntermediateDirectories: true)
            }
            DrillPause.at("repodata")
            let timestamp = Int(Date().timeIntervalSince1970)
            _ = try Parallel.map(repositories.count, threads: Parallel.processorCount) { index in
                let tree = repositories[index]
                let inTree = placements.filter { $0.relativePath.hasPrefix(tree + "/") }
                if let metadataSource, inTree.allSatisfy({ $0.pkgid != nil }) {
                    try RepodataWriter.write(
                        tree: temporary + "/compose/" + tree, source: metadataSource,
                        selection: inTree.map {
                            .init(pkgid: $0.pkgid!, href: String($0.relativePath.dropFirst(tree.count + 1)))
                        },
                        timestamp: timestamp)
                } else {
                    try Self.run(
                        createrepo,
                        [
                            "--quiet", "--no-database", "--general-compress-type=gz", "--checksum=sha256",
                            temporary + "/compose/" + tree,
                        ])
                }
            }
            progress("createrepo", repositories.count, repositories.count)
            log.write("repodata done")

            if let isoTools {
                metadata.images = try makeISOs(
                    in: temporary, metadata: metadata, tools: isoTools, log: log, progress: progress)
            }

            progress("metadata", 0, 1)
            try write(metadata.composeInfo().serialized(), to: temporary + "/compose/metadata/composeinfo.json")
            try write(metadata.rpms().serialized(), to: temporary + "/compose/metadata/rpms.json")
            if !metadata.images.isEmpty {
                try write(metadata.imagesDocument().serialized(), to: temporary + "/compose/metadata/images.json")
            }
            DrillPause.at("metadata")
            try fm.createDirectory(atPath: temporary + "/work/global", withIntermediateDirectories: true)
            try write(
                metadata.composeInfo(withVariants: false).serialized(),
                to: temporary + "/work/global/composeinfo-base.json")
            try fm.createDirectory(atPath: temporary + "/compose/Temporary", withIntermediateDirectories: true)
            try write(repoFile, to: temporary + "/compose/Temporary/\(name).repo")
            try write("FINISHED\n", to: temporary + "/STATUS")
            log.write("Compose \(metadata.composeID) written")
            try fm.createDirectory(atPath: temporary + "/logs/global", withIntermediateDirectories: true)
            try? fm.copyItem(atPath: log.path, toPath: temporary + "/logs/global/pungi.global.log")
            try? fm.copyItem(atPath: log.path, toPath: temporary + "/pungi-stderr.log")

            try stage(temporary)
            progress("metadata", 1, 1)
            return stagedPath
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
                try Self.run(createrepo, ["--quiet", "--no-database", "--general-compress-type=gz", directory])
            }
            try write(repoFile, to: temporary + "/compose/Temporary/\(name).repo")
            try? fm.copyItem(atPath: log.path, toPath: temporary + "/pungi-stderr.log")
            try stage(temporary)
            return stagedPath
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Puts the staged tree at `odcs-<id>` and ODCS's links (`links`) in `<target_dir>/<compose_type>/`: the links
    /// first (they dangle for a moment), then the tree in one rename, an old directory of that name swapped out
    /// whole. Every step walks from the target directory without following symlinks: a planted symlink on the way
    /// stops it, one at a link's name is replaced itself, a directory or file there is left alone and reported.
    /// Placing again (after a crash) is harmless; with nothing staged and the tree in place it does the links only.
    /// Returns the links it could not make.
    @discardableResult
    public func place(links: ComposeLinks?) throws(ContainmentError) -> [ContainmentError] {
        let root = try ContainedDirectory(path: targetDir)
        var failures: [ContainmentError] = []
        if let links {
            for link in links.names {
                do {
                    try root.replaceSymlink(links.directory + "/" + link, target: links.target)
                } catch {
                    failures.append(error)
                }
            }
        }
        let staged = Self.stagedName(name: name)
        guard root.kind(of: staged) == .directory else { return failures }
        switch root.kind(of: name) {
        case .directory?:
            let old = Self.temporaryPrefix(name: name) + "old-\(getpid())"
            try root.removeTree(old)
            try root.rename(name, to: old)
            try root.rename(staged, to: name)
            try root.removeTree(old)
        case .symlink?, .file?:
            // Not Kiln's: the entry itself goes (a symlink is never followed), then the tree takes its name.
            try root.removeTree(name)
            try root.rename(staged, to: name)
        case nil:
            try root.rename(staged, to: name)
        }
        return failures
    }

    /// Takes a compose that is not done off the disk: its links (only those pointing at `../odcs-<id>`, in its
    /// `<compose_type>/` directory), its staged tree and its tree. Nothing outside the target directory is touched.
    public func unplace(linkDirectory: String?) throws(ContainmentError) {
        let root = try ContainedDirectory(path: targetDir)
        if let linkDirectory, ContainedDirectory.isPlainName(linkDirectory),
            root.kind(of: linkDirectory) == .directory
        {
            let target = "../" + name
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: targetDir + "/" + linkDirectory)) ?? []
            for entry in entries where ContainedDirectory.isPlainName(entry) {
                root.removeSymlink(linkDirectory + "/" + entry) { $0 == target }
            }
        }
        try root.removeTree(Self.stagedName(name: name))
        try root.removeTree(name)
    }

    /// Renames a finished temporary directory to the staged name (a stale staged tree is removed first).
    func stage(_ temporary: String) throws {
        let root = try ContainedDirectory(path: targetDir)
        let staged = Self.stagedName(name: name)
        try root.removeTree(staged)
        try root.rename((temporary as NSString).lastPathComponent, to: staged)
        DrillPause.at("written")
    }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Runs a tool to completion; returns what it wrote to standard output. A non-zero exit throws with its
    /// standard error, which goes to an unlinked temporary file so neither stream can fill up and block the tool.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        var template = Array((NSTemporaryDirectory() + "/kiln-tool-XXXXXX").utf8CString)
        let errorFD = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard errorFD >= 0 else { throw ComposeWriterError(message: "cannot create a temporary file", tool: "kiln") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let errors = FileHandle(fileDescriptor: errorFD, closeOnDealloc: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardError = errors
        process.standardOutput = output
        try process.run()
        let standardOutput = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            lseek(errorFD, 0, SEEK_SET)
            let text = String(decoding: errors.readDataToEndOfFile().prefix(4096), as: UTF8.self)
            throw ComposeWriterError(
                message: "\(executable) failed: \(text.trimmingCharacters(in: .whitespacesAndNewlines))",
                tool: (executable as NSString).lastPathComponent)
        }
        return String(decoding: standardOutput, as: UTF8.self)
    }
}

public struct ComposeWriterError: Error, CustomStringConvertible, UserFacingError {
    public var message: String
    /// The tool that failed (`createrepo_c`, `xorriso`, `implantisomd5`, ...).
    public var tool: String = "createrepo_c"
    public var description: String { message }
    public var userMessage: String {
        let what = tool == "createrepo_c" ? "Writing the repodata" : "Making the ISO images"
        return "\(what) failed (\(tool) reported an error); submit the compose again, and report it if it fails again."
    }
}
