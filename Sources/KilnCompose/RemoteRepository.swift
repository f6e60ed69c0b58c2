internal import Foundation
public import KilnCore
public import KilnHTTP

/// A yum repository given by http(s) URL, mirrored into a local directory as far as a compose needs it: its
/// `repomd.xml` and the primary and filelists metadata first (for the solver, each checked against the size and
/// checksum `repomd.xml` gives), then the RPMs selected (each at most its declared size; the compose writer checks
/// their checksums). The URL must be one `allowed_remote_urls` allows; every file URL is built from it and a
/// location checked to stay below it.
public struct RemoteRepository {
    public let url: RemoteURL
    public let directory: String
    let client: HTTPClient
    let log: GenerationLog

    /// At most this much `repomd.xml`: a few kilobytes in practice.
    static let repomdMaxBytes: Int64 = 16 << 20

    @available(*, noasync, message: "blocks")
    public init(
        url text: String, policy: RemoteSourcePolicy, directory: String, log: GenerationLog, client: HTTPClient
    ) throws {
        url = try policy.check(text).directory
        self.directory = directory
        self.log = log
        self.client = client
        try FileManager.default.createDirectory(atPath: directory + "/repodata", withIntermediateDirectories: true)
        let repomdURL = try url.appending("repodata/repomd.xml")
        log.write("Fetching \(repomdURL)")
        try SourceFetchError.explaining {
            try client.download(
                repomdURL.description, to: directory + "/repodata/repomd.xml", maxBytes: Self.repomdMaxBytes)
        }
        let repomd = try String(contentsOfFile: directory + "/repodata/repomd.xml", encoding: .utf8)
        for type in ["primary", "filelists"] {
            guard let record = RepomdRecord(type: type, in: repomd) else { continue }
            let fileURL = try Self.url(of: record.href, in: url)
            log.write("Fetching \(record.href)")
            let path = directory + "/" + record.href
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try SourceFetchError.explaining {
                try client.download(fileURL.description, to: path, maxBytes: record.size)
            }
            do {
                try PackageFile.verifyFile(
                    root: directory, relative: record.href, size: record.size, checksumType: record.checksumType,
                    checksum: record.checksum)
            } catch {
                log.write("ERROR: \(record.href): \(error.detail)")
                throw GenerationError("the \(type) metadata of \(url) does not match its repomd.xml")
            }
        }
    }

    /// Downloads the RPMs at these repository-relative locations, each at most its declared size.
    @available(*, noasync, message: "blocks")
    public func download(_ files: [(location: String, size: Int64?)], progress: (Int, Int) -> Void) throws {
        for (index, file) in files.enumerated() {
            let fileURL = try Self.url(of: file.location, in: url)
            let path = directory + "/" + file.location
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try SourceFetchError.explaining {
                try client.download(fileURL.description, to: path, maxBytes: file.size)
            }
            if index % 20 == 0 || index == files.count - 1 { progress(index + 1, files.count) }
        }
        log.write("Downloaded \(files.count) packages from \(url)")
    }

    /// The URL of a location from the repository's metadata; one that would leave the repository is refused.
    static func url(of location: String, in base: RemoteURL) throws -> RemoteURL {
        do {
            return try base.appending(location)
        } catch {
            throw GenerationError("The repository's metadata names an unsafe location: \(location)")
        }
    }
}

/// One `<data type="…">` entry of a repomd.xml: where the file is, and its size and checksum (of the file as
/// stored, compressed).
struct RepomdRecord: Equatable {
    var href: String
    var checksumType: String?
    var checksum: String?
    var size: Int64?

    init?(type: String, in repomd: String) {
        guard let start = repomd.range(of: "<data type=\"\(type)\">") else { return nil }
        let rest = repomd[start.upperBound...]
        guard let end = rest.range(of: "</data>") else { return nil }
        let block = rest[..<end.lowerBound]
        guard let href = Self.attribute("href", in: block) else { return nil }
        // A location elsewhere (`xml:base`) is not followed: such an href is made one no URL can be built from.
        self.href = block.contains("xml:base") ? "/" + href : href
        if let open = block.range(of: "<checksum type=\""),
            let close = block[open.upperBound...].range(of: "</checksum>")
        {
            let element = block[open.upperBound..<close.lowerBound]
            if let quote = element.firstIndex(of: "\""), let gt = element.firstIndex(of: ">") {
                checksumType = String(element[..<quote])
                checksum = element[element.index(after: gt)...].trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        if let open = block.range(of: "<size>"), let close = block[open.upperBound...].range(of: "</size>") {
            let digits = block[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            if digits.count <= 15, let n = Int64(digits), n >= 0 { size = n }
        }
    }

    private static func attribute(_ name: String, in block: Substring) -> String? {
        guard let start = block.range(of: " \(name)=\"") else { return nil }
        let value = block[start.upperBound...]
        return value.firstIndex(of: "\"").map { String(value[..<$0]) }
    }
}

/// Percent-encodes a single path segment.
public func percentEncodePath(_ segment: String) -> String {
    segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
        ?? segment
}
