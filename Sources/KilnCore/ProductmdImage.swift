/// One image of a compose as productmd's `images.json` (format 1.2) lists it.
public struct ProductmdImage: Sendable, Equatable {
    /// Relative to `compose/`.
    public var path: String
    public var mtime: Int64
    public var size: Int64
    public var volumeID: String?
    /// productmd's image type (`dvd` for a package ISO) and format (`iso`).
    public var type: String
    public var format: String
    public var arch: String
    public var discNumber: Int64 = 1
    public var discCount: Int64 = 1
    /// Checksum type (`sha256`) → hex digest.
    public var checksums: [String: String]
    /// The MD5 implanted by implantisomd5 (what checkisomd5 verifies), nil when none was.
    public var implantMD5: String?
    public var bootable: Bool
    public var subvariant: String

    public init(
        path: String, mtime: Int64, size: Int64, volumeID: String?, type: String, format: String, arch: String,
        checksums: [String: String], implantMD5: String?, bootable: Bool, subvariant: String
    ) {
        self.path = path
        self.mtime = mtime
        self.size = size
        self.volumeID = volumeID
        self.type = type
        self.format = format
        self.arch = arch
        self.checksums = checksums
        self.implantMD5 = implantMD5
        self.bootable = bootable
        self.subvariant = subvariant
    }

    var json: JSON {
        [
            "additional_variants": [], "arch": .string(arch), "bootable": .bool(bootable),
            "checksums": .object(JSONObject(checksums.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            "disc_count": .int(discCount), "disc_number": .int(discNumber), "format": .string(format),
            "implant_md5": .optional(implantMD5), "mtime": .int(mtime), "path": .string(path), "size": .int(size),
            "subvariant": .string(subvariant), "type": .string(type), "unified": false,
            "volume_id": .optional(volumeID),
        ]
    }
}

extension ProductmdMetadata {
    /// The ISO 9660 volume id of variant `Temporary`'s image for `arch`, as Pungi's default formats make it
    /// (`{release_short}-{version} {variant}.{arch}`, or without the variant when that exceeds the 32 characters a
    /// volume id holds).
    public func volumeID(arch: String) -> String {
        let base = "\(composeID.release.short)-\(composeID.release.version)"
        let full = "\(base) Temporary.\(arch)"
        return full.utf8.count <= 32 ? full : String("\(base) \(arch)".prefix(32))
    }

    /// Where the ISO of `arch` goes, relative to `compose/`: Pungi's default image name
    /// `{compose_id}-{variant}-{arch}-{disc_type}{disc_num}{suffix}` under `Temporary/<arch>/iso`.
    public func isoPath(arch: String) -> String {
        "Temporary/\(arch)/iso/\(composeID.description)-Temporary-\(arch)-dvd1.iso"
    }

    /// `images.json`: variant → arch → images.
    public func imagesDocument() -> JSON {
        var byArch = JSONObject()
        for arch in Set(images.map(\.arch)).sorted() {
            byArch[arch] = .array(images.filter { $0.arch == arch }.sorted { $0.path < $1.path }.map(\.json))
        }
        return [
            "header": ["type": "productmd.images", "version": "1.2"],
            "payload": ["compose": composeObject, "images": ["Temporary": .object(byArch)]],
        ]
    }
}
