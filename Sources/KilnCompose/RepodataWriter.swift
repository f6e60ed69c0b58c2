internal import CCrypto
internal import CZlib
internal import Foundation
internal import KilnCore

/// Writes a tree's repodata by filtering the source repository's own metadata (primary, filelists, other) down to
/// the selected packages and pointing their locations at the compose layout: no RPM header is read again and no
/// RPM is checksummed again, which is what makes large composes fast. The result is the same XML createrepo_c
/// would write for those files, and `repomd.xml` carries the usual checksums, sizes and the source's revision.
public struct RepodataWriter {
    /// A package to keep: its pkgid (the checksum in the source metadata) and its location in the new tree.
    public struct Selection: Sendable, Hashable {
        public var pkgid: String
        public var href: String
        public init(pkgid: String, href: String) {
            self.pkgid = pkgid
            self.href = href
        }
    }

    /// The source repository's decompressed metadata, read once and shared by every tree written from it.
    public final class Source: Sendable {
        let primary: [UInt8]
        let filelists: [UInt8]
        let other: [UInt8]
        public let revision: String?

        public init(repository: String) throws {
            let repomd = try String(contentsOfFile: repository + "/repodata/repomd.xml", encoding: .utf8)
            func load(_ type: String) throws -> [UInt8] {
                guard let href = Self.location(of: type, in: repomd) else {
                    throw GenerationError("repomd.xml has no \(type) metadata")
                }
                guard (try? RemoteURL.checkRelative(href)) != nil else {
                    throw GenerationError("repomd.xml names \(type) metadata outside the repository")
                }
                return try gunzip(repository + "/" + href)
            }
            primary = try load("primary")
            filelists = try load("filelists")
            other = try load("other")
            revision = Self.element("revision", in: repomd)
        }

        /// The `<location href>` of the `<data type="…">` entry of a repomd.xml text.
        public static func location(of type: String, in repomd: String) -> String? {
            guard let start = repomd.range(of: "<data type=\"\(type)\">") else { return nil }
            let rest = repomd[start.upperBound...]
            guard let end = rest.range(of: "</data>"), let href = rest[..<end.lowerBound].range(of: "href=\"") else {
                return nil
            }
            let value = rest[href.upperBound...]
            return value.firstIndex(of: "\"").map { String(value[..<$0]) }
        }

        static func element(_ name: String, in text: String) -> String? {
            guard let start = text.range(of: "<\(name)>"),
                let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex)
            else { return nil }
            return String(text[start.upperBound..<end.lowerBound])
        }
    }

    /// Writes `<tree>/repodata/` for `selection`. Every selected pkgid must be in the source metadata.
    public static func write(tree: String, source: Source, selection: [Selection], timestamp: Int) throws {
        let wanted = Dictionary(selection.map { ($0.pkgid, $0.href) }, uniquingKeysWith: { a, _ in a })
        let repodata = tree + "/repodata"
        try FileManager.default.createDirectory(atPath: repodata, withIntermediateDirectories: true)
        var entries: [(type: String, record: Record)] = []
        for (type, bytes, root) in [
            ("primary", source.primary, "metadata"), ("filelists", source.filelists, "filelists"),
            ("other", source.other, "otherdata"),
        ] {
            let (xml, kept) = try filter(bytes, root: root, wanted: wanted, rewriteLocation: type == "primary")
            guard kept == wanted.count else {
                throw GenerationError("\(type) metadata holds \(kept) of the \(wanted.count) selected packages")
            }
            entries.append((type, try store(xml, name: type, directory: repodata)))
        }
        var repomd = """
            <?xml version="1.0" encoding="UTF-8"?>
            <repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">

            """
        if let revision = source.revision { repomd += "  <revision>\(revision)</revision>\n" }
        for (type, r) in entries {
            repomd += """
                  <data type="\(type)">
                    <checksum type="sha256">\(r.checksum)</checksum>
                    <open-checksum type="sha256">\(r.openChecksum)</open-checksum>
                    <location href="repodata/\(r.fileName)"/>
                    <timestamp>\(timestamp)</timestamp>
                    <size>\(r.size)</size>
                    <open-size>\(r.openSize)</open-size>
                  </data>

                """
        }
        repomd += "</repomd>\n"
        try Data(repomd.utf8).write(to: URL(fileURLWithPath: repodata + "/repomd.xml"), options: .atomic)
    }

    struct Record {
        var checksum: String
        var openChecksum: String
        var fileName: String
        var size: Int
        var openSize: Int
    }

    /// Keeps the `<package …>…</package>` blocks whose pkgid is wanted, fixes the root's `packages="N"`, and in
    /// primary points `<location href>` at the new path (dropping any `xml:base`).
    static func filter(_ xml: [UInt8], root: String, wanted: [String: String], rewriteLocation: Bool) throws -> (
        [UInt8], Int
    ) {
        let open = Array("<package".utf8)
        let close = Array("</package>".utf8)
        guard let first = find(open, in: xml, from: 0) else {
            // No packages at all: keep the document, with packages="0".
            return (setCount(Array(xml), root: root, count: 0), 0)
        }
        var out: [UInt8] = setCount(Array(xml[0..<first]), root: root, count: wanted.count)
        var kept = 0
        var index = first
        while let start = find(open, in: xml, from: index), start < xml.count {
            guard let end = find(close, in: xml, from: start) else {
                throw GenerationError("unterminated <package> in \(root)")
            }
            let block = Array(xml[start..<(end + close.count)])
            if let id = pkgid(block, primary: rewriteLocation), let href = wanted[id] {
                out += rewriteLocation ? relocate(block, href: href) : block
                out.append(0x0A)
                kept += 1
            }
            index = end + close.count
        }
        out += Array("</\(root)>\n".utf8)
        return (out, kept)
    }

    static func pkgid(_ block: [UInt8], primary: Bool) -> String? {
        if primary {
            let needle = Array("pkgid=\"YES\">".utf8)
            guard let marker = find(needle, in: block, from: 0) else { return nil }
            let start = marker + needle.count
            guard let end = block[start...].firstIndex(of: UInt8(ascii: "<")) else { return nil }
            return String(decoding: block[start..<end], as: UTF8.self)
        }
        let needle = Array("pkgid=\"".utf8)
        guard let marker = find(needle, in: block, from: 0) else { return nil }
        let start = marker + needle.count
        guard let end = block[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: block[start..<end], as: UTF8.self)
    }

    static func relocate(_ block: [UInt8], href: String) -> [UInt8] {
        guard let start = find(Array("<location ".utf8), in: block, from: 0),
            let end = block[start...].firstIndex(of: UInt8(ascii: ">"))
        else { return block }
        var escaped = ""
        for c in href {
            switch c {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(c)
            }
        }
        return Array(block[..<start]) + Array("<location href=\"\(escaped)\"/>".utf8) + Array(block[(end + 1)...])
    }

    static func setCount(_ head: [UInt8], root: String, count: Int) -> [UInt8] {
        guard let tag = find(Array("<\(root) ".utf8), in: head, from: 0),
            let attr = find(Array("packages=\"".utf8), in: head, from: tag)
        else { return head }
        let valueStart = attr + "packages=\"".utf8.count
        guard let valueEnd = head[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { return head }
        return Array(head[..<valueStart]) + Array(String(count).utf8) + Array(head[valueEnd...])
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count, from <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                while i <= last {
                    if h[i] == first && memcmp(h.baseAddress! + i, n.baseAddress!, n.count) == 0 { return i }
                    i += 1
                }
                return nil
            }
        }
    }

    /// Gzips `xml` into `<sha256 of the .gz>-<name>.xml.gz` and returns what repomd.xml says about it.
    static func store(_ xml: [UInt8], name: String, directory: String) throws -> Record {
        let compressed = try gzip(xml)
        let checksum = sha256(compressed)
        let fileName = "\(checksum)-\(name).xml.gz"
        try Data(compressed).write(to: URL(fileURLWithPath: directory + "/" + fileName))
        return Record(
            checksum: checksum, openChecksum: sha256(xml), fileName: fileName, size: compressed.count,
            openSize: xml.count)
    }
}

func sha256(_ bytes: [UInt8]) -> String {
    var digest = [UInt8](repeating: 0, count: 32)
    bytes.withUnsafeBufferPointer { b in _ = SHA256(b.baseAddress, b.count, &digest) }
    return Hex.encode(digest)
}

/// Decompresses a whole .gz file.
func gunzip(_ path: String) throws -> [UInt8] {
    guard let file = gzopen(path, "rb") else { throw GenerationError("cannot open \(path)") }
    defer { gzclose(file) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
        if n < 0 { throw GenerationError("cannot decompress \(path)") }
        if n == 0 { return out }
        out += buffer[0..<Int(n)]
    }
}

/// gzip (RFC 1952) of `bytes` at compression level 6.
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    var stream = z_stream()
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    guard
        deflateInit2_(
            &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            == Z_OK
    else { throw GenerationError("deflateInit2 failed") }
    defer { deflateEnd(&stream) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
    var input = bytes
    let status = input.withUnsafeMutableBufferPointer { inp in
        out.withUnsafeMutableBufferPointer { o in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count)
            stream.next_out = o.baseAddress
            stream.avail_out = UInt32(o.count)
            return deflate(&stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END else { throw GenerationError("deflate failed (\(status))") }
    return Array(out[0..<Int(stream.total_out)])
}
