/// A productmd `composeinfo.json` as CTS reads it on import: the compose, the release and, for a
/// layered release, the base product. Variants are kept as sent (CTS echoes them and never stores them).
public struct ComposeInfo: Sendable, Equatable {
    public struct Release: Sendable, Equatable {
        public var name: String
        public var short: String
        public var version: String
        /// Lower case; `ga` when the file has none.
        public var type: String
        public var isLayered: Bool
        public var isInternal: Bool
        public init(
            name: String, short: String, version: String, type: String = "ga", isLayered: Bool = false,
            isInternal: Bool = false
        ) {
            self.name = name
            self.short = short
            self.version = version
            self.type = type
            self.isLayered = isLayered
            self.isInternal = isInternal
        }
    }

    public struct BaseProduct: Sendable, Equatable {
        public var name: String
        public var short: String
        public var version: String
        public var type: String
        public init(name: String, short: String, version: String, type: String = "ga") {
            self.name = name
            self.short = short
            self.version = version
            self.type = type
        }
    }

    /// The id as the client sent it (the stored id is always rebuilt by productmd's rules).
    public var id: String
    public var date: String
    public var type: ComposeID.ComposeType
    public var respin: Int
    public var label: String?
    public var isFinal: Bool
    public var release: Release
    /// Only for a layered release.
    public var baseProduct: BaseProduct?
    public var variants: JSONObject

    public init(
        id: String = "", date: String, type: ComposeID.ComposeType, respin: Int, label: String? = nil,
        isFinal: Bool = false,
        release: Release, baseProduct: BaseProduct? = nil, variants: JSONObject = JSONObject()
    ) {
        self.id = id
        self.date = date
        self.type = type
        self.respin = respin
        self.label = label
        self.isFinal = isFinal
        self.release = release
        self.baseProduct = baseProduct
        self.variants = variants
    }

    /// productmd's `create_compose_id()` for this compose with `respin`.
    public func composeID(respin: Int? = nil) -> ComposeID {
        ComposeID(
            release: .init(short: release.short, version: release.version, type: release.type),
            baseProduct: release.isLayered
                ? baseProduct.map { .init(short: $0.short, version: $0.version, type: $0.type) } : nil,
            date: date, type: type, respin: respin ?? self.respin, firstVariant: variants.keys.sorted().first)
    }

    /// Parses and validates a `compose_info` value; errors read `Cannot parse "compose_info": <reason>`.
    public static func parse(_ value: JSON) throws(ComposeError) -> ComposeInfo {
        do {
            return try parseUnprefixed(value)
        } catch {
            throw .invalid("Cannot parse \"compose_info\": \(error.reason)")
        }
    }

    struct Failure: Error { var reason: String }

    /// The largest respin an import may ask for; later respins of the same release and date count up from it and
    /// must stay inside PostgreSQL's `integer`.
    public static let maximumRespin: Int64 = 999_999_999

    static func parseUnprefixed(_ value: JSON) throws(Failure) -> ComposeInfo {
        guard let root = value.objectValue else { throw Failure(reason: "it must be a JSON object") }
        guard let header = root["header"] else { throw Failure(reason: "missing key \"header\"") }
        guard let headerObject = header.objectValue else { throw Failure(reason: "\"header\" must be an object") }
        guard let versionText = headerObject["version"]?.stringValue else {
            throw Failure(reason: "missing header version")
        }
        let versionParts = versionText.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard versionParts.count == 2, let major = versionParts[0], let minor = versionParts[1] else {
            throw Failure(reason: "Invalid metadata version: \(versionText)")
        }
        guard (major, minor) >= (1, 0) else { throw Failure(reason: "Unsupported metadata version: \(versionText)") }
        if (major, minor) >= (1, 1), headerObject["type"]?.stringValue != "productmd.composeinfo" {
            throw Failure(reason: "Invalid metadata type")
        }
        guard let payload = root["payload"]?.objectValue else { throw Failure(reason: "missing key \"payload\"") }
        guard let compose = payload["compose"]?.objectValue else { throw Failure(reason: "missing key \"compose\"") }
        guard let releaseObject = payload["release"]?.objectValue else {
            throw Failure(reason: "missing key \"release\"")
        }
        guard let variantsValue = payload["variants"] else { throw Failure(reason: "missing key \"variants\"") }
        guard let variants = variantsValue.objectValue else { throw Failure(reason: "\"variants\" must be an object") }
        for uid in variants.keys where !isVariantUID(uid) {
            throw Failure(reason: "Variant: Field 'uid' has invalid value: \(uid)")
        }

        // Compose
        guard let id = compose["id"]?.stringValue, !id.trimmingWhitespace().isEmpty else {
            throw Failure(
                reason: "Compose: Field 'id' has invalid value: \(compose["id"].map { $0.serialized() } ?? "None")")
        }
        guard containsEightDigits(id) else { throw Failure(reason: "Compose: Field 'id' has invalid value: \(id)") }
        guard let date = compose["date"]?.stringValue, ComposeID.isDate(date) else {
            throw Failure(
                reason: "Compose: Field 'date' has invalid value: \(text(compose["date"])). It must be YYYYMMDD")
        }
        guard let typeName = compose["type"]?.stringValue, let type = ComposeID.ComposeType(rawValue: typeName) else {
            throw Failure(reason: "Compose: Field 'type' has invalid value: \(text(compose["type"]))")
        }
        guard case .int(let respin)? = compose["respin"] else {
            throw Failure(reason: "Compose: Field 'respin' has invalid type: it must be an integer")
        }
        guard respin >= 0, respin <= maximumRespin else {
            throw Failure(reason: "Compose: Field 'respin' has invalid value: \(respin)")
        }
        var label: String?
        switch compose["label"] {
        case nil, .null?: label = nil
        case .string(let s)?:
            if !s.isEmpty {
                guard ComposeID.isValidLabel(s) else { throw Failure(reason: "Label in unknown format: \(s)") }
                label = s
            }
        default: throw Failure(reason: "Compose: Field 'label' has invalid type: it must be a string")
        }
        var isFinal = false
        switch compose["final"] {
        case nil, .null?: break
        case .bool(let b)?: isFinal = b
        default: throw Failure(reason: "Compose: Field 'final' has invalid type: it must be true or false")
        }

        // Release and base product
        let release = try product("Release", releaseObject)
        let isLayered = try flag("Release", "is_layered", releaseObject)
        let isInternal = try flag("Release", "internal", releaseObject)
        var baseProduct: BaseProduct?
        if isLayered {
            guard let baseObject = payload["base_product"]?.objectValue else {
                throw Failure(reason: "missing key \"base_product\"")
            }
            let base = try product("BaseProduct", baseObject)
            baseProduct = BaseProduct(name: base.name, short: base.short, version: base.version, type: base.type)
        }
        return ComposeInfo(
            id: id, date: date, type: type, respin: Int(respin), label: label, isFinal: label != nil && isFinal,
            release: Release(
                name: release.name, short: release.short, version: release.version, type: release.type,
                isLayered: isLayered, isInternal: isInternal),
            baseProduct: baseProduct, variants: variants)
    }

    private static func text(_ value: JSON?) -> String {
        guard let value else { return "None" }
        return value.stringValue ?? value.serialized()
    }

    private static func product(_ what: String, _ o: JSONObject) throws(Failure) -> (
        name: String, short: String, version: String, type: String
    ) {
        guard let name = o["name"]?.stringValue, !name.isEmpty else {
            throw Failure(reason: "\(what): Field 'name' has invalid value: \(text(o["name"]))")
        }
        guard let short = o["short"]?.stringValue, !short.isEmpty else {
            throw Failure(reason: "\(what): Field 'short' has invalid value: \(text(o["short"]))")
        }
        guard let version = o["version"]?.stringValue, ComposeID.isVersion(version) else {
            throw Failure(reason: "\(what): Field 'version' has invalid value: \(text(o["version"]))")
        }
        var type = "ga"
        switch o["type"] {
        case nil, .null?: break
        case .string(let s)?:
            guard ComposeID.releaseTypes.contains(s.lowercased()) else {
                throw Failure(reason: "\(what): Field 'type' has invalid value: \(s)")
            }
            type = s.lowercased()
        default: throw Failure(reason: "\(what): Field 'type' has invalid value: \(text(o["type"]))")
        }
        return (name, short, version, type)
    }

    private static func flag(_ what: String, _ key: String, _ o: JSONObject) throws(Failure) -> Bool {
        switch o[key] {
        case nil, .null?: return false
        case .bool(let b)?: return b
        default: throw Failure(reason: "\(what): Field '\(key)' has invalid type: it must be true or false")
        }
    }

    /// productmd's variant uid: ids of letters and digits, joined by `-` for nested variants.
    public static func isVariantUID(_ s: String) -> Bool {
        let ids = s.split(separator: "-", omittingEmptySubsequences: false)
        return s.utf8.count <= 255
            && ids.allSatisfy { id in
                !id.isEmpty
                    && id.utf8.allSatisfy { b in
                        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    }
            }
    }

    private static func containsEightDigits(_ s: String) -> Bool {
        var run = 0
        for b in s.utf8 {
            run = (b >= 0x30 && b <= 0x39) ? run + 1 : 0
            if run >= 8 { return true }
        }
        return false
    }

    /// The `composeinfo.json` object (header version 1.2); `id` and `respin` are this value's own.
    public func json(includeVariants: Bool) -> JSON {
        var compose = JSONObject()
        compose["id"] = .string(id)
        compose["date"] = .string(date)
        compose["respin"] = .int(Int64(respin))
        compose["type"] = .string(type.rawValue)
        if let label {
            compose["label"] = .string(label)
            compose["final"] = .bool(isFinal)
        }
        var releaseObject = JSONObject()
        releaseObject["name"] = .string(release.name)
        releaseObject["short"] = .string(release.short)
        releaseObject["version"] = .string(release.version)
        releaseObject["type"] = .string(release.type)
        releaseObject["internal"] = .bool(release.isInternal)
        if release.isLayered { releaseObject["is_layered"] = true }
        var payload = JSONObject()
        payload["compose"] = .object(compose)
        payload["release"] = .object(releaseObject)
        if release.isLayered, let base = baseProduct {
            payload["base_product"] = [
                "name": .string(base.name), "short": .string(base.short), "version": .string(base.version),
                "type": .string(base.type),
            ]
        }
        payload["variants"] = .object(includeVariants ? variants : JSONObject())
        return ["header": ["type": "productmd.composeinfo", "version": "1.2"], "payload": .object(payload)]
    }
}

/// A POST `/cts/api/1/composes/` body: the compose to import and how it relates to others.
public struct ComposeImportRequest: Sendable, Equatable {
    public var info: ComposeInfo
    public var parentComposeIDs: [String]
    public var respinOf: String?
    public var composeURL: String?
    /// The optional `rpms` field (a productmd rpms.json), as sent.
    public var rpms: JSON?
    /// `rpms` parsed and validated, after the rest of the body.
    public var contents: ComposeContents?

    public init(info: ComposeInfo, parentComposeIDs: [String] = [], respinOf: String? = nil, composeURL: String? = nil)
    {
        self.info = info
        self.parentComposeIDs = parentComposeIDs
        self.respinOf = respinOf
        self.composeURL = composeURL
    }

    /// Validates in CTS's order: JSON, non-empty body, `compose_info`, productmd rules, then the optional fields.
    public static func parse(body: [UInt8]) throws(ComposeError) -> ComposeImportRequest {
        let data = try RequestBody.object(body, emptyMessage: "No JSON POST data submitted", blankIsEmpty: false)
        guard let infoValue = data["compose_info"] else {
            throw .invalid("No \"compose_info\" field in JSON POST data.")
        }
        try RequestBody.refuseUnknown(
            data, allowed: ["compose_info", "parent_compose_ids", "respin_of", "compose_url", "rpms"])
        let info = try ComposeInfo.parse(infoValue)
        var parents: [String] = []
        switch data["parent_compose_ids"] {
        case nil, .null?: break
        case .array(let items)?:
            for item in items {
                guard let s = item.stringValue, !s.isEmpty else {
                    throw .invalid("\"parent_compose_ids\" must be a list of compose ids.")
                }
                if !parents.contains(s) { parents.append(s) }
            }
        default: throw .invalid("\"parent_compose_ids\" must be a list of compose ids.")
        }
        var respinOf: String?
        switch data["respin_of"] {
        case nil, .null?: break
        case .string(let s)?: respinOf = s.isEmpty ? nil : s
        default: throw .invalid("\"respin_of\" must be a compose id.")
        }
        var url: String?
        switch data["compose_url"] {
        case nil, .null?: break
        case .string(let s)?:
            guard RequestInput.isHTTPURL(s) else { throw .invalid("\"compose_url\" field must be a valid http(s) URL") }
            url = s
        default: throw .invalid("\"compose_url\" field must be a valid http(s) URL")
        }
        var request = ComposeImportRequest(info: info, parentComposeIDs: parents, respinOf: respinOf, composeURL: url)
        if let rpms = data["rpms"], rpms != .null {
            request.rpms = rpms
            request.contents = try ComposeContents.parse(rpms)
        }
        return request
    }
}

extension ComposeImportRequest {
    /// The builder recorded for composes Kiln generated itself.
    public static let kilnBuilder = "kiln"

    /// The tracking record of a compose Kiln generated: its productmd id (respin and date from `pungi_compose_id`),
    /// `compose_url` = its `toplevel_url`, parents and `respin_of` from the request. Nil when it has no productmd id.
    public static func forGenerated(_ compose: Compose, composeURL: String?) -> ComposeImportRequest? {
        guard let pungiID = compose.pungiComposeID, let (date, type, respin) = ComposeID.dateTypeRespin(of: pungiID)
        else { return nil }
        let id = ProductmdMetadata.composeID(
            composeNumber: compose.id, composeType: type.rawValue, date: date, respin: respin)
        guard id.description == pungiID else { return nil }
        let label = compose.label.flatMap { ComposeID.isValidLabel($0) ? $0 : nil }
        var variants = JSONObject()
        variants["Temporary"] = ["id": "Temporary", "uid": "Temporary", "name": "Temporary", "type": "variant"]
        let info = ComposeInfo(
            id: pungiID, date: date, type: type, respin: respin, label: label, isFinal: false,
            release: .init(name: "odcs-\(compose.id)", short: id.release.short, version: id.release.version),
            variants: variants)
        let parents = (compose.parentPungiComposeIDs ?? "").split(separator: " ").map(String.init).filter {
            !$0.isEmpty
        }
        let respinOf = compose.respinOf.flatMap { $0.isEmpty ? nil : $0 }
        return ComposeImportRequest(info: info, parentComposeIDs: parents, respinOf: respinOf, composeURL: composeURL)
    }
}
