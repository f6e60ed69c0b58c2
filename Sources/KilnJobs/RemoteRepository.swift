internal import Foundation
internal import KilnCompose
internal import KilnHTTP

/// A yum repository given by http(s) URL, mirrored into a local directory as far as a compose needs it: its
/// `repomd.xml` and the primary and filelists metadata first (for the solver), then the RPMs selected.
struct RemoteRepository {
    let url: String
    let directory: String
    let client: HTTPClient
    let log: GenerationLog

    @available(*, noasync, message: "blocks")
    init(url: String, directory: String, log: GenerationLog) throws {
        self.url = url.hasSuffix("/") ? url : url + "/"
        self.directory = directory
        self.log = log
        client = try HTTPClient(configuration: .init(totalTimeoutMilliseconds: 600_000))
        try FileManager.default.createDirectory(atPath: directory + "/repodata", withIntermediateDirectories: true)
        log.write("Fetching \(self.url)repodata/repomd.xml")
        try client.download(self.url + "repodata/repomd.xml", to: directory + "/repodata/repomd.xml")
        let repomd = try String(contentsOfFile: directory + "/repodata/repomd.xml", encoding: .utf8)
        for href in ["primary", "filelists"].compactMap({ RepodataWriter.Source.location(of: $0, in: repomd) }) {
            try Self.checkRelative(href)
            log.write("Fetching \(href)")
            try FileManager.default.createDirectory(
                atPath: (directory + "/" + href as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try client.download(self.url + href, to: directory + "/" + href)
        }
    }

    /// Downloads the RPMs at these repository-relative locations.
    @available(*, noasync, message: "blocks")
    func download(_ locations: [String], progress: (Int, Int) -> Void) throws {
        for (index, location) in locations.enumerated() {
            try Self.checkRelative(location)
            let path = directory + "/" + location
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try client.download(url + location, to: path)
            if index % 20 == 0 || index == locations.count - 1 { progress(index + 1, locations.count) }
        }
        log.write("Downloaded \(locations.count) packages from \(url)")
    }

    /// A location from the repository's metadata must stay inside the mirror directory.
    static func checkRelative(_ href: String) throws {
        guard !href.hasPrefix("/"), !href.split(separator: "/").contains(".."), !href.contains("://") else {
            throw RemoteRepositoryError(description: "The repository's metadata names an unsafe location: \(href)")
        }
    }
}

struct RemoteRepositoryError: Error, CustomStringConvertible {
    var description: String
}

/// Percent-encodes a single path segment.
func percentEncodePath(_ segment: String) -> String {
    segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
}
