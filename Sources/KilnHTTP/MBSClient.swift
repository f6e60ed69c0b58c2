public import KilnCore

/// Read-only queries of the Module Build Service's REST API (`<mbs_url>/1/module-builds/`), as ODCS makes them:
/// module builds by name, stream, version and context, in the states asked for, newest version first, verbose (with
/// the modulemd document and the Koji tag). Pages are followed through `meta.next`, only on the same scheme, host,
/// port and path, and at most `maxPages` of them. Every answer is checked field by field and bounded in size: a
/// build service is another system, and what it says is read as untrusted input.
public final class MBSClient {
    public let baseURL: RemoteURL
    private let client: HTTPClient

    /// Items per page asked for, pages followed, bytes per answer, bytes of one modulemd document.
    public static let perPage = 100
    public static let maxPages = 20
    public static let maxAnswerBytes: Int64 = 64 << 20
    public static let maxModulemdBytes = 4 << 20

    /// `url` is `mbs_url` (`https://mbs.example.com/module-build-service`).
    public init(url: String, client: HTTPClient) throws(MBSError) {
        do {
            baseURL = try RemoteURL(parsing: url)
        } catch {
            throw MBSError("mbs_url \(url) is not a usable http(s) URL: \(error)")
        }
        self.client = client
    }

    /// `<mbs_url>/1/module-builds/` without a trailing slash doubled.
    public var endpoint: String {
        var base = baseURL.description
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/1/module-builds/"
    }

    /// The first page's URL for `query`.
    public func url(for query: ModuleResolution.Query) -> String {
        var parameters: [(String, String)] = [("name", query.name)]
        if let stream = query.stream { parameters.append(("stream", stream)) }
        if let version = query.version { parameters.append(("version", String(version))) }
        if let context = query.context { parameters.append(("context", context)) }
        for state in query.states { parameters.append(("state", state)) }
        if let v = query.baseModuleBRName { parameters.append(("base_module_br_name", v)) }
        if let v = query.baseModuleBRStream { parameters.append(("base_module_br_stream", v)) }
        if let v = query.baseModuleBRStreamVersionLTE {
            parameters.append(("base_module_br_stream_version_lte", String(v)))
        }
        if let v = query.baseModuleBRStreamVersionGTE {
            parameters.append(("base_module_br_stream_version_gte", String(v)))
        }
        parameters += [("verbose", "true"), ("order_desc_by", "version"), ("per_page", String(Self.perPage))]
        return endpoint + "?"
            + parameters.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }
            .joined(separator: "&")
    }

    /// Every build answering `query`, across pages.
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func moduleBuilds(_ query: ModuleResolution.Query) throws -> [ModuleBuild] {
        var builds: [ModuleBuild] = []
        var next: String? = url(for: query)
        var pages = 0
        while let page = next {
            pages += 1
            guard pages <= Self.maxPages else {
                throw MBSError("MBS has more than \(Self.maxPages) pages of builds of \(query.name)")
            }
            let answer = try client.get(page, headers: ["Accept": "application/json"], maxBytes: Self.maxAnswerBytes)
            guard answer.status == 200 else {
                throw MBSError("MBS answered HTTP \(answer.status) to \(page)")
            }
            let parsed = try Self.parsePage(answer.body)
            builds += parsed.builds
            next = try parsed.next.map(checkNext)
        }
        return builds
    }

    /// A `meta.next` URL is followed only when it stays on this endpoint.
    func checkNext(_ text: String) throws(MBSError) -> String {
        guard let url = try? RemoteURL(parsing: String(text.prefix { $0 != "?" })),
            url.scheme == baseURL.scheme, url.host == baseURL.host, url.port == baseURL.port,
            url.description == endpoint || url.description + "/" == endpoint
        else { throw MBSError("MBS's next page \(text.prefix(200)) is not on \(endpoint)") }
        return text
    }

    /// One page of `module-builds` (`{"items": [...], "meta": {"next": ...}}`).
    public static func parsePage(_ body: [UInt8]) throws(MBSError) -> (builds: [ModuleBuild], next: String?) {
        let json: JSON
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw MBSError("MBS's answer is not JSON: \(error)")
        }
        guard let object = json.objectValue, let items = object["items"]?.arrayValue else {
            throw MBSError("MBS's answer has no items list")
        }
        guard items.count <= perPage * 10 else { throw MBSError("MBS's answer has \(items.count) items on one page") }
        var next: String?
        if let meta = object["meta"]?.objectValue, let value = meta["next"], value != .null {
            guard let text = value.stringValue, text.utf8.count <= 4096 else {
                throw MBSError("MBS's meta.next is not a URL")
            }
            next = text
        }
        return (try items.map(build), next)
    }

    static let stateNames = ["init", "wait", "build", "done", "failed", "ready", "garbage"]

    /// One verbose module build record.
    static func build(_ item: JSON) throws(MBSError) -> ModuleBuild {
        guard let record = item.objectValue else { throw MBSError("an MBS item is not an object") }
        func text(_ key: String, max: Int = 255) throws(MBSError) -> String {
            guard let value = record[key]?.stringValue, !value.isEmpty, value.utf8.count <= max,
                value.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F })
            else { throw MBSError("an MBS module build has no valid \(key)") }
            return value
        }
        let name = try text("name")
        let stream = try text("stream")
        let context = try text("context")
        let versionText = record["version"]?.stringValue ?? record["version"]?.integerValue.map { String($0) }
        guard let versionText, versionText.utf8.count <= 19,
            versionText.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let version = Int64(versionText)
        else { throw MBSError("MBS module build \(name):\(stream) has no valid version") }
        let state: String
        if let named = record["state_name"]?.stringValue, stateNames.contains(named) {
            state = named
        } else if let number = record["state"]?.integerValue, (0..<Int64(stateNames.count)).contains(number) {
            state = stateNames[Int(number)]
        } else {
            throw MBSError("MBS module build \(name):\(stream):\(version) has no valid state")
        }
        var kojiTag = ""
        if let tag = record["koji_tag"], tag != .null { kojiTag = try text("koji_tag") }
        guard let modulemd = record["modulemd"]?.stringValue, modulemd.utf8.count <= maxModulemdBytes else {
            throw MBSError("MBS module build \(name):\(stream):\(version) has no modulemd (not verbose?)")
        }
        let scratch: Bool
        switch record["scratch"] {
        case nil, .null?: scratch = false
        case .bool(let b)?: scratch = b
        default: throw MBSError("MBS module build \(name):\(stream):\(version) has an invalid scratch field")
        }
        return ModuleBuild(
            name: name, stream: stream, version: version, context: context, state: state, kojiTag: kojiTag,
            modulemd: modulemd, scratch: scratch)
    }
}

/// The Module Build Service could not be asked, or answered something unusable.
public struct MBSError: Error, Sendable, Equatable, CustomStringConvertible, UserFacingError {
    public var description: String
    public init(_ description: String) { self.description = description }
    public var userMessage: String { description }
}
