/// A productmd compose id (`Fedora-Rawhide-20200517.n.1`), built and checked by productmd's rules
/// (productmd's `ComposeInfo.create_compose_id`).
public struct ComposeID: Sendable, Hashable, CustomStringConvertible {
    /// Compose types, least to most important (productmd's order).
    public enum ComposeType: String, Sendable, CaseIterable, Comparable {
        case test, ci, nightly, production, development

        public var suffix: String {
            switch self {
            case .production: ""
            case .ci: ".ci"
            case .nightly: ".n"
            case .test: ".t"
            case .development: ".d"
            }
        }

        public static func < (a: ComposeType, b: ComposeType) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// A release or a base product: short name, version and type (`ga` when nil).
    public struct Product: Sendable, Hashable {
        public var short: String
        public var version: String
        public var type: String?
        public init(short: String, version: String, type: String? = nil) {
            self.short = short
            self.version = version
            self.type = type
        }

        /// `""` for GA (or no type), else `-<type>`.
        public var typeSuffix: String {
            guard let type, type.lowercased() != "ga" else { return "" }
            return "-" + type.lowercased()
        }
    }

    public static let releaseTypes: Set<String> = [
        "fast", "ga", "updates", "updates-testing", "eus", "aus", "els", "tus", "e4s",
    ]
    public static let labelNames: Set<String> = [
        "EA", "DevelPhaseExit", "InternalAlpha", "Alpha", "InternalSnapshot", "Beta", "Snapshot", "RC", "Update",
        "SecurityFix",
    ]

    public var release: Product
    /// Set for layered products.
    public var baseProduct: Product?
    /// `YYYYMMDD`.
    public var date: String
    public var type: ComposeType
    public var respin: Int
    /// The first variant (sorted), only for the RHEL-5 special case.
    public var firstVariant: String?

    public init(
        release: Product, baseProduct: Product? = nil, date: String, type: ComposeType, respin: Int,
        firstVariant: String? = nil
    ) {
        self.release = release
        self.baseProduct = baseProduct
        self.date = date
        self.type = type
        self.respin = respin
        self.firstVariant = firstVariant
    }

    /// `<short>-<version><type>[-<base short>-<base version><base type>][-<variant>]-<date><type suffix>.<respin>`.
    public var description: String {
        var id = "\(release.short)-\(release.version)\(release.typeSuffix)"
        if let base = baseProduct { id += "-\(base.short)-\(base.version)\(base.typeSuffix)" }
        if release.short == "RHEL", majorVersion(release.version) == "5", let base = baseProduct, base.short == "RHEL",
            majorVersion(base.version) == "5", let variant = firstVariant, variant == "Client" || variant == "Server"
        {
            id += "-\(variant)"
        }
        return id + "-\(date)\(type.suffix).\(respin)"
    }

    /// CTS's uniqueness key: respins are unique per release short, version and date, whatever the type.
    public var releaseDateRespin: String { "\(release.short)-\(release.version)-\(date).\(respin)" }

    private func majorVersion(_ version: String) -> String { String(version.split(separator: ".").first ?? "") }

    /// The first rule this id's fields break, in productmd's words; nil when valid.
    public var validationError: String? {
        if !Self.isDate(date) { return "Compose: Field 'date' has invalid value: \(date)" }
        if respin < 0 { return "Compose: Field 'respin' has invalid value: \(respin)" }
        for (name, product) in [("Release", release)] + (baseProduct.map { [("BaseProduct", $0)] } ?? []) {
            if !Self.isVersion(product.version) {
                return "\(name): Field 'version' has invalid value: \(product.version)"
            }
            if let type = product.type, !Self.releaseTypes.contains(type.lowercased()) {
                return "\(name): Field 'type' has invalid value: \(type)"
            }
            if product.short.isEmpty { return "\(name): Field 'short' has invalid value: " }
        }
        return nil
    }

    /// Eight digits.
    public static func isDate(_ text: String) -> Bool {
        text.utf8.count == 8 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `^([^0-9].*|[0-9]+(\.[0-9]+)*)$`: a name such as "Rawhide", or dotted numbers such as "8.10".
    public static func isVersion(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        if !("0"..."9").contains(first) { return true }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
    }

    /// productmd's label rule: `<Name>-<digits>.<digits>` with a known milestone name.
    public static func isValidLabel(_ label: String) -> Bool {
        guard let dash = label.lastIndex(of: "-") else { return false }
        let name = String(label[..<dash])
        let number = label[label.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
        return labelNames.contains(name) && number.count == 2
            && number.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    /// Splits an id's tail into date, type and respin (`…-20200517.n.1` → 20200517, nightly, 1); nil when it has none.
    public static func dateTypeRespin(of id: String) -> (date: String, type: ComposeType, respin: Int)? {
        guard let dash = id.lastIndex(of: "-") else { return nil }
        let parts = id[id.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(
            String.init)
        guard let date = parts.first, isDate(date), let respin = parts.last.flatMap({ Int($0) }), parts.count >= 2
        else { return nil }
        switch parts.count {
        case 2: return (date, .production, respin)
        case 3:
            guard let type = ComposeType.allCases.first(where: { $0.suffix == "." + parts[1] }) else { return nil }
            return (date, type, respin)
        default: return nil
        }
    }
}
