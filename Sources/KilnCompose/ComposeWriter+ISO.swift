internal import Foundation
public import KilnCore
internal import KilnPlatform

extension ComposeWriter {
    /// The tools `iso` results are made with: xorriso (Debian's `xorriso`) and implantisomd5/checkisomd5 (Debian's
    /// `isomd5sum`).
    public struct ISOTools: Sendable {
        public var xorriso: String
        public var implantisomd5: String
        public var checkisomd5: String

        public init(
            xorriso: String = "/usr/bin/xorriso", implantisomd5: String = "/usr/bin/implantisomd5",
            checkisomd5: String = "/usr/bin/checkisomd5"
        ) {
            self.xorriso = xorriso
            self.implantisomd5 = implantisomd5
            self.checkisomd5 = checkisomd5
        }
    }

    /// One non-bootable ISO 9660 image of each arch's package tree (`compose/Temporary/<arch>/os`: its packages
    /// and repodata), as Pungi's createiso phase makes them for a compose without boot media: Rock Ridge and Joliet
    /// names, ISO level 3 (files over 4 GiB), an MD5 implanted for checkisomd5 (the image is padded by 1 MiB, as
    /// checkisomd5 cannot verify images of a few hundred KiB), and a `SHA256SUM` file beside the images.
    func makeISOs(
        in temporary: String, metadata: ProductmdMetadata, tools: ISOTools, log: GenerationLog,
        progress: (String, Int, Int) -> Void
    ) throws -> [ProductmdImage] {
        let arches = metadata.arches
        progress("making ISO images", 0, arches.count)
        log.write("Making ISO images for \(arches.joined(separator: ", "))")
        let images = try Parallel.map(arches.count, threads: min(arches.count, Parallel.processorCount)) { index in
            let arch = arches[index]
            let relative = metadata.isoPath(arch: arch)
            let path = temporary + "/compose/" + relative
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let volumeID = metadata.volumeID(arch: arch)
            try Self.run(
                tools.xorriso,
                [
                    "-as", "mkisofs", "-quiet", "-r", "-J", "-iso-level", "3", "-V", volumeID, "-o", path,
                    temporary + "/compose/Temporary/\(arch)/os", "--", "-padding", "1m",
                ])
            try Self.run(tools.implantisomd5, ["--force", path])
            let implanted = try Self.implantedMD5(Self.run(tools.checkisomd5, ["--md5sumonly", path]))
            let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw ComposeWriterError(message: "cannot open \(path)", tool: "xorriso") }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, let sha256 = PackageFile.digest(fd, type: "sha256") else {
                throw ComposeWriterError(message: "cannot read \(path)", tool: "xorriso")
            }
            return ProductmdImage(
                path: relative, mtime: Int64(info.st_mtim.tv_sec), size: Int64(info.st_size), volumeID: volumeID,
                type: "dvd", format: "iso", arch: arch, checksums: ["sha256": sha256], implantMD5: implanted,
                bootable: false, subvariant: "Temporary")
        }
        for image in images {
            let name = (image.path as NSString).lastPathComponent
            let sums = "SHA256 (\(name)) = \(image.checksums["sha256"] ?? "")\n"
            let directory = temporary + "/compose/" + (image.path as NSString).deletingLastPathComponent
            try Data(sums.utf8).write(to: URL(fileURLWithPath: directory + "/SHA256SUM"), options: .atomic)
            log.write("\(image.path): \(image.size) bytes, implanted MD5 \(image.implantMD5 ?? "none")")
        }
        progress("making ISO images", arches.count, arches.count)
        return images
    }

    /// The implanted MD5 from `checkisomd5 --md5sumonly`, whose first line is `<path>:   <32 hex digits>`.
    static func implantedMD5(_ output: String) throws -> String {
        let first = output.split(separator: "\n").first.map(String.init) ?? ""
        let digest = first.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard digest.utf8.count == 32, digest.utf8.allSatisfy({ Hex.digitValue($0) != nil }) else {
            throw ComposeWriterError(message: "checkisomd5 printed no implanted MD5: \(first)", tool: "checkisomd5")
        }
        return digest.lowercased()
    }
}
