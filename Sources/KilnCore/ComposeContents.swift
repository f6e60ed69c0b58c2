/// What a compose holds: every RPM of its productmd `rpms.json`, by variant and by the binary arch it is listed
/// under, as productmd's `rpms.json` holds it. Kiln records it for its own composes when they are generated, and for
/// imported composes from an uploaded `rpms.json` or the one at `<compose_url>/compose/metadata/rpms.json`.
public struct ComposeContents: Sendable, Equatable {
    public enum Category: String, Sendable, CaseIterable { case binary, debug, source }

    /// One RPM in one variant and arch.
    /// How many RPMs of each category one variant and arch of a compose holds.
    public struct TreeCount: Sendable, Equatable {
        public var variant: String
        public var arch: String
        public var binary: Int
        public var debug: Int
        public var source: Int
        public var total: Int { binary + debug + source }

        public init(variant: String, arch: String, binary: Int, debug: Int, source: Int) {
            self.variant = variant
            self.arch = arch
            self.binary = binary
            self.debug = debug
            self.source = source
        }
    }

    public struct Entry: Sendable, Hashable {
        public var variant: String
        /// The binary arch it is listed under (a noarch or source package is listed under every arch that has it).
        public var arch: String
        public var rpm: RPMNEVRA
        /// The SRPM group the RPM is listed in.
        public var sourceRPM: RPMNEVRA
        public var category: Category
        public var sigkey: String?
        /// Relative to `compose/`.
        public var path: String?

        public init(
            variant: String, arch: String, rpm: RPMNEVRA, sourceRPM: RPMNEVRA, category: Category,
            sigkey: String? = nil, path: String? = nil
        ) {
            self.variant = variant
            self.arch = arch
            self.rpm = rpm
            self.sourceRPM = sourceRPM
            self.category = category
            self.sigkey = sigkey
            self.path = path
        }

        public var json: JSON {
            [
                "variant": .string(variant), "arch": .string(arch), "nevra": .string(rpm.description),
                "name": .string(rpm.name),
                "epoch": .int(Int64(rpm.epoch)), "version": .string(rpm.version), "release": .string(rpm.release),
                "rpm_arch": .string(rpm.arch), "srpm_nevra": .string(sourceRPM.description),
                "category": .string(category.rawValue),
                "sigkey": .optional(sigkey), "path": .optional(path),
            ]
        }
    }

    /// `payload.compose.id` of the document, when it names one.
    public var composeID: String?
    /// In document order; one entry per (variant, arch, RPM).
    public var entries: [Entry]

    public init(composeID: String? = nil, entries: [Entry]) {
        self.composeID = composeID
        self.entries = entries
    }

    static func invalid(_ reason: String) -> ComposeError { .invalid("Cannot parse \"rpms\": \(reason)") }

    /// Parses a productmd `rpms.json` document (header type `productmd.rpms`). The nesting is
    /// variant → arch → SRPM NEVRA → RPM NEVRA → {path, sigkey, category}; the checks are those productmd's
    /// `Rpms.add` makes (no `src`/`nosrc` arch keys, a known category, `source` exactly for source RPMs).
    public static func parse(_ document: JSON) throws(ComposeError) -> ComposeContents {
        try RequestInput.requireNoControlCharacters(document)
        guard let header = document["header"]?.objectValue else { throw invalid("no \"header\" object.") }
        guard header["type"]?.stringValue == "productmd.rpms" else {
            throw invalid("header type must be \"productmd.rpms\".")
        }
        guard let version = header["version"]?.stringValue, Self.isVersion(version) else {
            throw invalid("header version must be a string like \"1.2\".")
        }
        guard let payload = document["payload"]?.objectValue else { throw invalid("no \"payload\" object.") }
        guard let variants = payload["rpms"]?.objectValue else { throw invalid("no \"payload.rpms\" object.") }
        var entries: [Entry] = []
        var seen = Set<String>()
        for (variant, archValue) in variants.pairs {
            guard !variant.isEmpty else { throw invalid("a variant has an empty name.") }
            guard let arches = archValue.objectValue else { throw invalid("variant \(variant) is not an object.") }
            for (arch, groupValue) in arches.pairs {
                guard !arch.isEmpty, !arch.contains("-"), !arch.contains(".") else {
                    throw invalid("\(variant) has an invalid arch \"\(arch)\".")
                }
                guard arch != "src", arch != "nosrc" else {
                    throw invalid("\(variant) lists arch \"\(arch)\"; source RPMs are listed under the binary arches.")
                }
                guard let groups = groupValue.objectValue else { throw invalid("\(variant).\(arch) is not an object.") }
                for (srpmText, rpmsValue) in groups.pairs {
                    guard let srpm = RPMNEVRA(parsing: srpmText) else {
                        throw invalid("\"\(srpmText)\" is not a name-epoch:version-release.arch.")
                    }
                    guard let rpms = rpmsValue.objectValue else {
                        throw invalid("\(variant).\(arch).\(srpmText) is not an object.")
                    }
                    for (nevraText, info) in rpms.pairs {
                        guard let rpm = RPMNEVRA(parsing: nevraText) else {
                            throw invalid("\"\(nevraText)\" is not a name-epoch:version-release.arch.")
                        }
                        guard let fields = info.objectValue else { throw invalid("\(nevraText) is not an object.") }
                        guard let categoryName = fields["category"]?.stringValue,
                            let category = Category(rawValue: categoryName)
                        else {
                            throw invalid("\(nevraText) has no category binary, debug or source.")
                        }
                        guard (category == .source) == rpm.isSource else {
                            throw invalid("\(nevraText) has category \(categoryName), which does not match its arch.")
                        }
                        let sigkey = try optionalString(fields, "sigkey", nevraText)
                        let path = try optionalString(fields, "path", nevraText)
                        // One row per (variant, arch, RPM): a repeat in another SRPM group adds nothing.
                        guard seen.insert("\(variant)\u{0}\(arch)\u{0}\(nevraText)").inserted else { continue }
                        entries.append(
                            Entry(
                                variant: variant, arch: arch, rpm: rpm, sourceRPM: srpm, category: category,
                                sigkey: sigkey, path: path))
                    }
                }
            }
        }
        let composeID = payload["compose"]?["id"]?.stringValue
        return ComposeContents(composeID: composeID, entries: entries)
    }

    /// Parses `rpms.json` bytes.
    public static func parse(bytes: [UInt8]) throws(ComposeError) -> ComposeContents {
        let json: JSON
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw invalid(error.requestBodyMessage)
        }
        return try parse(json)
    }

    private static func optionalString(_ fields: JSONObject, _ key: String, _ nevra: String) throws(ComposeError)
        -> String?
    {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw invalid("\(nevra) has a \(key) that is neither a string nor null.")
        }
    }

    private static func isVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
