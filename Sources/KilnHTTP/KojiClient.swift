/// Anonymous, read-only calls to a Koji hub over XML-RPC, returning plain structs; plus `koji.PathInfo` paths.
///
/// Every call is one blocking POST of `text/xml` to `hubURL` exactly (nothing appended), so the methods are
/// `noasync`. Not Sendable (it holds an `HTTPClient`). Calls throw:
/// - `HTTPClientError`: transport failures, or a hub answer other than HTTP 200 (`.httpStatus`);
/// - `XMLRPCFault`: the hub's fault (`code` 1000 GenericError, 1019 ParameterError, ...; see `KojiFaultCode`);
/// - `XMLRPCError`: the answer is not XML-RPC, or a result lacks a field this client needs.
public final class KojiClient {
    public let hubURL: String
    /// Koji's top directory: an http(s) URL (`topurl`) or a filesystem path (`topdir`).
    public let topURL: String
    public let pathInfo: KojiPathInfo
    /// The hub's `Koji-Version` header from the last answer that had one.
    public private(set) var hubVersion: String?
    private let client: HTTPClient

    public init(hubURL: String, topURL: String, client: HTTPClient) {
        self.hubURL = hubURL
        self.topURL = topURL
        self.client = client
        pathInfo = KojiPathInfo(top: topURL)
    }

    /// Any hub method: positional `params`, and `kwargs` sent Koji's way (a trailing `__starstar` struct).
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func call(_ method: String, _ params: [XMLRPCValue] = [], kwargs: [String: XMLRPCValue] = [:]) throws
        -> XMLRPCValue
    {
        let body = XMLRPC.encodeCall(method: method, params: params, kwargs: kwargs)
        let response = try client.post(hubURL, body: body, contentType: "text/xml")
        if let version = response.header("Koji-Version") { hubVersion = version }
        guard response.status == 200 else {
            let text = String(response.bodyText.prefix(200))
            throw HTTPClientError(
                .httpStatus, "hub answered \(response.status) to \(method): \(text)", url: hubURL,
                status: response.status)
        }
        return try XMLRPC.decodeResponse(response.body)
    }

    // MARK: - Events

    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func getLastEvent() throws -> KojiEvent {
        try Self.event(call("getLastEvent"), method: "getLastEvent")
    }

    /// Faults (`query returned no rows`) when the event does not exist.
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func getEvent(_ id: Int64) throws -> KojiEvent {
        try Self.event(call("getEvent", [.int(id)]), method: "getEvent")
    }

    // MARK: - Tags

    /// nil when there is no such tag (Koji's default `strict=False`).
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func getTag(_ name: String, event: Int64? = nil) throws -> KojiTag? {
        try getTag(.string(name), event: event)
    }

    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func getTag(id: Int64, event: Int64? = nil) throws -> KojiTag? {
        try getTag(.int(id), event: event)
    }

    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    private func getTag(_ info: XMLRPCValue, event: Int64?) throws -> KojiTag? {
        let value = try call("getTag", [info], kwargs: event.map { ["event": .int($0)] } ?? [:])
        if value.isNil { return nil }
        let row = try Row(value, "getTag")
        return KojiTag(
            id: try row.int("id"), name: try row.string("name"),
            arches: (try row.optionalString("arches") ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" }).map(
                String.init),
            locked: try row.optionalBool("locked") ?? false, permID: try row.optionalInt("perm_id"),
            perm: try row.optionalString("perm"), mavenSupport: try row.optionalBool("maven_support") ?? false,
            mavenIncludeAll: try row.optionalBool("maven_include_all") ?? false,
            extra: row.fields["extra"]?.structValue ?? [:], queryEvent: try row.optionalInt("query_event"))
    }

    /// Every ancestor of the tag, depth-first in priority order, without the tag itself. Faults
    /// (`No such entry in table tag: ...`) for an unknown tag.
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func getFullInheritance(_ tagID: Int64, event: Int64? = nil) throws -> [KojiInheritance] {
        let value = try call("getFullInheritance", [.int(tagID)], kwargs: event.map { ["event": .int($0)] } ?? [:])
        return try Self.rows(value, "getFullInheritance").map { row in
            KojiInheritance(
                parentID: try row.int("parent_id"), name: try row.string("name"),
                childID: try row.optionalInt("child_id") ?? tagID, priority: try row.optionalInt("priority") ?? 0,
                maxDepth: try row.optionalInt("maxdepth"), intransitive: try row.optionalBool("intransitive") ?? false,
                noConfig: try row.optionalBool("noconfig") ?? false, pkgFilter: try row.optionalString("pkg_filter"),
                depth: try row.optionalInt("currdepth") ?? 1, nextDepth: try row.optionalInt("nextdepth"),
                filter: (row.fields["filter"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
    }

    /// True when any of the tags (ids; the hub does not expand inheritance) changed after `event`.
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func tagChangedSinceEvent(_ event: Int64, tags: [Int64]) throws -> Bool {
        let value = try call("tagChangedSinceEvent", [.int(event), .array(tags.map { .int($0) })])
        guard let changed = value.boolValue else {
            throw XMLRPCError(.unexpectedValue, "tagChangedSinceEvent: expected a boolean")
        }
        return changed
    }

    // MARK: - Builds and RPMs

    /// The RPMs and builds in a tag, as Pungi asks for them (`listTaggedRPMS(tag, event=, inherit=, latest=)`).
    /// `arches` filters the RPMs only (include `src` for source RPMs). With `rpmsigs`, an RPM appears once per
    /// signature with `sigkey` set. Faults (`No such tagInfo: 'X'`) for an unknown tag.
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func listTaggedRPMS(
        _ tag: String, event: Int64? = nil, inherit: Bool = false, latest: Bool = false, arches: [String]? = nil,
        rpmsigs: Bool = false
    ) throws -> (rpms: [KojiRPM], builds: [KojiBuild]) {
        var kwargs: [String: XMLRPCValue] = ["inherit": .bool(inherit), "latest": .bool(latest)]
        if let event { kwargs["event"] = .int(event) }
        if let arches { kwargs["arch"] = .array(arches.map { .string($0) }) }
        if rpmsigs { kwargs["rpmsigs"] = .bool(true) }
        let value = try call("listTaggedRPMS", [.string(tag)], kwargs: kwargs)
        guard let pair = value.arrayValue, pair.count == 2 else {
            throw XMLRPCError(.unexpectedValue, "listTaggedRPMS: expected [rpms, builds]")
        }
        let rpms = try Self.rows(pair[0], "listTaggedRPMS").map { try Self.rpm($0) }
        let builds = try Self.rows(pair[1], "listTaggedRPMS").map { try Self.build($0) }
        return (rpms, builds)
    }

    /// The builds in a tag (`listTagged(tag, event=, inherit=, package=, type=)`), newest tagging first; `type`
    /// `module` gives module builds. Faults (`No such tagInfo: 'X'`) for an unknown tag.
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func listTagged(
        _ tag: String, event: Int64? = nil, inherit: Bool = false, package: String? = nil, type: String? = nil
    ) throws -> [KojiBuild] {
        var kwargs: [String: XMLRPCValue] = ["inherit": .bool(inherit)]
        if let event { kwargs["event"] = .int(event) }
        if let package { kwargs["package"] = .string(package) }
        if let type { kwargs["type"] = .string(type) }
        let rows = try Self.rows(call("listTagged", [.string(tag)], kwargs: kwargs), "listTagged")
        return try rows.map { try Self.build($0) }
    }

    /// nil when there is no such build. Faults (`invalid format: X`) when `nvr` is not N-V-R.
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func getBuild(_ nvr: String) throws -> KojiBuild? {
        let value = try call("getBuild", [.string(nvr)])
        return value.isNil ? nil : try Self.build(Row(value, "getBuild"))
    }

    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func getBuild(id: Int64) throws -> KojiBuild? {
        let value = try call("getBuild", [.int(id)])
        return value.isNil ? nil : try Self.build(Row(value, "getBuild"))
    }

    /// An unknown build id gives `[]`.
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func listBuildRPMs(_ buildID: Int64) throws -> [KojiRPM] {
        try Self.rows(call("listBuildRPMs", [.int(buildID)]), "listBuildRPMs").map { try Self.rpm($0) }
    }

    /// Faults (`No such build: 'n-v-r'`) for an unknown NVR.
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func listBuildRPMs(nvr: String) throws -> [KojiRPM] {
        try Self.rows(call("listBuildRPMs", [.string(nvr)]), "listBuildRPMs").map { try Self.rpm($0) }
    }

    /// The signature keys Koji holds for an RPM (lowercase hex; `""` for an imported unsigned header).
    @available(*, noasync, message: "blocks on the network; call from a dedicated thread")
    public func queryRPMSigs(rpmID: Int64) throws -> [String] {
        try Self.rows(call("queryRPMSigs", kwargs: ["rpm_id": .int(rpmID)]), "queryRPMSigs").map {
            try $0.string("sigkey")
        }
    }

    // MARK: - Paths (koji.PathInfo over topURL)

    public func buildDirectory(_ build: KojiBuild) -> String { pathInfo.buildDirectory(build) }

    /// `<top>/packages/<build name>/<version>/<release>/<arch>/<name>-<version>-<release>.<arch>.rpm`.
    public func rpmPath(build: KojiBuild, rpm: KojiRPM) -> String { pathInfo.rpmPath(build: build, rpm: rpm) }

    /// `<top>/packages/<build name>/<version>/<release>/data/signed/<sigkey lowercased>/<arch>/<file>`.
    public func signedRPMPath(build: KojiBuild, rpm: KojiRPM, sigkey: String) -> String {
        pathInfo.signedRPMPath(build: build, rpm: rpm, sigkey: sigkey)
    }

    // MARK: - Decoding

    private static func event(_ value: XMLRPCValue, method: String) throws(XMLRPCError) -> KojiEvent {
        let row = try Row(value, method)
        guard let ts = row.fields["ts"]?.doubleValue else { throw row.missing("ts", "a number") }
        return KojiEvent(id: try row.int("id"), ts: ts)
    }

    private static func rows(_ value: XMLRPCValue, _ method: String) throws(XMLRPCError) -> [Row] {
        guard let array = value.arrayValue else { throw XMLRPCError(.unexpectedValue, "\(method): expected an array") }
        var rows: [Row] = []
        for element in array { rows.append(try Row(element, method)) }
        return rows
    }

    private static func build(_ row: Row) throws(XMLRPCError) -> KojiBuild {
        var name = try row.optionalString("name")
        if name == nil { name = try row.string("package_name") }
        var id = try row.optionalInt("build_id")
        if id == nil { id = try row.int("id") }
        let version = try row.string("version")
        let release = try row.string("release")
        return KojiBuild(
            id: id!, name: name!, version: version, release: release,
            epoch: try row.optionalInt("epoch"), nvr: try row.optionalString("nvr"),
            state: try row.optionalInt("state") ?? KojiBuild.State.complete,
            volumeName: try row.optionalString("volume_name") ?? "DEFAULT",
            packageID: try row.optionalInt("package_id"),
            ownerName: try row.optionalString("owner_name"), taskID: try row.optionalInt("task_id"),
            creationEventID: try row.optionalInt("creation_event_id"),
            completionTime: try row.optionalString("completion_time"),
            completionTS: row.fields["completion_ts"]?.doubleValue, draft: try row.optionalBool("draft") ?? false,
            extra: row.fields["extra"] ?? .nil, tagID: try row.optionalInt("tag_id"),
            tagName: try row.optionalString("tag_name"),
            createEvent: try row.optionalInt("create_event"))
    }

    private static func rpm(_ row: Row) throws(XMLRPCError) -> KojiRPM {
        KojiRPM(
            id: try row.int("id"), buildID: try row.int("build_id"), name: try row.string("name"),
            version: try row.string("version"), release: try row.string("release"), epoch: try row.optionalInt("epoch"),
            arch: try row.string("arch"), payloadhash: try row.optionalString("payloadhash") ?? "",
            size: try row.optionalInt("size") ?? 0, buildtime: try row.optionalInt("buildtime") ?? 0,
            buildrootID: try row.optionalInt("buildroot_id"),
            metadataOnly: try row.optionalBool("metadata_only") ?? false,
            draft: try row.optionalBool("draft") ?? false, sigkey: try row.optionalString("sigkey"))
    }
}

@available(*, unavailable, message: "a KojiClient holds an HTTPClient, which one thread uses at a time")
extension KojiClient: Sendable {}

/// A result struct with typed field access; a missing or mistyped field is an `XMLRPCError(.unexpectedValue)`
/// naming the method and the field.
struct Row {
    let fields: [String: XMLRPCValue]
    let method: String

    init(_ value: XMLRPCValue, _ method: String) throws(XMLRPCError) {
        guard let fields = value.structValue else {
            throw XMLRPCError(.unexpectedValue, "\(method): expected a struct")
        }
        self.fields = fields
        self.method = method
    }

    func missing(_ key: String, _ type: String) -> XMLRPCError {
        XMLRPCError(.unexpectedValue, "\(method): field '\(key)' is missing or not \(type)")
    }

    func int(_ key: String) throws(XMLRPCError) -> Int64 {
        guard let value = fields[key]?.intValue else { throw missing(key, "an int") }
        return value
    }

    func string(_ key: String) throws(XMLRPCError) -> String {
        guard let value = fields[key]?.stringValue else { throw missing(key, "a string") }
        return value
    }

    /// nil when absent or `<nil/>`; a value of another type is an error.
    func optionalInt(_ key: String) throws(XMLRPCError) -> Int64? {
        guard let value = fields[key], !value.isNil else { return nil }
        guard let number = value.intValue else { throw missing(key, "an int") }
        return number
    }

    func optionalString(_ key: String) throws(XMLRPCError) -> String? {
        guard let value = fields[key], !value.isNil else { return nil }
        guard let text = value.stringValue else { throw missing(key, "a string") }
        return text
    }

    func optionalBool(_ key: String) throws(XMLRPCError) -> Bool? {
        guard let value = fields[key], !value.isNil else { return nil }
        if let flag = value.boolValue { return flag }
        if let number = value.intValue { return number != 0 }
        throw missing(key, "a boolean")
    }
}
