/// GET `/cts/api/1/composes/` query: field filters, dates, tags, ordering and paging, as CTS reads them.
public struct TrackedComposeQuery: Sendable, Equatable {
    /// The 17 filterable (and sortable) fields, in CTS's order.
    public enum Field: String, Sendable, CaseIterable {
        case id, date, respin, type, label, final
        case releaseName = "release_name"
        case releaseVersion = "release_version"
        case releaseShort = "release_short"
        case releaseIsLayered = "release_is_layered"
        case releaseType = "release_type"
        case releaseInternal = "release_internal"
        case baseProductName = "base_product_name"
        case baseProductShort = "base_product_short"
        case baseProductVersion = "base_product_version"
        case baseProductType = "base_product_type"
        case builder

        public enum Kind: Sendable { case text, integer, boolean }
        public var kind: Kind {
            switch self {
            case .respin: .integer
            case .final, .releaseIsLayered, .releaseInternal: .boolean
            default: .text
            }
        }
    }

    public enum Match: String, Sendable, CaseIterable {
        case exact = ""
        case contains = "_contains"
        case startsWith = "_startswith"
        case endsWith = "_endswith"
    }

    public struct Filter: Sendable, Equatable {
        public var field: Field
        public var match: Match
        /// For an exact boolean filter, `true` or `false`; for an exact integer filter, the number.
        public var value: String
        public init(_ field: Field, _ match: Match, _ value: String) {
            self.field = field
            self.match = match
            self.value = value
        }
    }

    public enum TagFilter: Sendable, Equatable {
        /// `tag=` (empty): composes with no tag at all.
        case untagged
        /// `tag=X` (all required) and `tag=-X` (all excluded).
        case tags(required: [String], excluded: [String])
    }

    public struct Order: Sendable, Equatable {
        public var field: Field
        public var descending: Bool
        public init(_ field: Field, descending: Bool) {
            self.field = field
            self.descending = descending
        }
    }

    public var filters: [Filter] = []
    public var dateBefore: String?
    public var dateAfter: String?
    public var tagFilter: TagFilter?
    /// `rpm_nvr=N-V-R` and `rpm_name=N`: composes holding such an RPM, any arch (Kiln's own; see +Contents).
    public var rpmNVR: RPMNVR?
    public var rpmName: String?
    public var order: [Order] = TrackedComposeQuery.defaultOrder
    public var page = 1
    public var perPage = 10

    public static let defaultOrder = [Order(.date, descending: true), Order(.id, descending: true)]

    /// Every query argument the list reads.
    public static let argumentNames: Set<String> = Set(
        Field.allCases.flatMap { field in Match.allCases.map { field.rawValue + $0.rawValue } }
            + ["date_before", "date_after", "tag", "rpm_nvr", "rpm_name", "order_by", "page", "per_page"])

    public init() {}

    /// Parses query arguments. Repeated `tag` and `order_by` all count; other names use their first value.
    public static func parse(_ arguments: [(name: String, value: String)]) throws(ComposeError) -> TrackedComposeQuery {
        try RequestInput.refuseUnknownArguments(arguments, known: argumentNames)
        var query = TrackedComposeQuery()
        var first: [String: String] = [:]
        var tags: [String] = []
        var orderKeys: [String] = []
        for (name, value) in arguments {
            if name == "tag" { tags.append(value) }
            if name == "order_by" { orderKeys.append(value) }
            if first[name] == nil { first[name] = value }
        }
        (query.page, query.perPage) = try RequestInput.paging(page: first["page"], perPage: first["per_page"])
        for field in Field.allCases {
            // CTS applies one match per field: the last of "", _contains, _startswith, _endswith given non-empty.
            var chosen: Filter?
            for match in Match.allCases {
                if let value = first[field.rawValue + match.rawValue], !value.isEmpty {
                    chosen = Filter(field, match, value)
                }
            }
            guard var filter = chosen else { continue }
            if filter.match == .exact {
                switch field.kind {
                case .boolean:
                    guard let b = parseBool(filter.value) else {
                        throw .invalid(
                            "Invalid value for \"\(field.rawValue)\": \(filter.value). It must be true, false, 1 or 0.")
                    }
                    filter.value = b ? "true" : "false"
                case .integer:
                    guard let n = Int32(filter.value) else {
                        throw .invalid(
                            "Invalid value for \"\(field.rawValue)\": \(filter.value). It must be an integer.")
                    }
                    filter.value = String(n)
                case .text: break
                }
            }
            query.filters.append(filter)
        }
        if let v = first["date_before"], !v.isEmpty { query.dateBefore = v }
        if let v = first["date_after"], !v.isEmpty { query.dateAfter = v }
        try query.parseContentFilters(first)
        if !tags.isEmpty {
            if tags.contains("") {
                query.tagFilter = .untagged
            } else {
                let excluded = tags.filter { $0.hasPrefix("-") }.map { String($0.dropFirst()) }
                query.tagFilter = .tags(required: tags.filter { !$0.hasPrefix("-") }, excluded: excluded)
            }
        }
        var order: [Order] = []
        for key in orderKeys where !key.isEmpty {
            let descending = key.hasPrefix("-")
            guard let field = Field(rawValue: descending ? String(key.dropFirst()) : key) else {
                throw .invalid(
                    "An invalid order_by key was suplied, allowed keys are: "
                        + Field.allCases.map(\.rawValue).joined(separator: ", "))
            }
            order.append(Order(field, descending: descending))
        }
        if !order.isEmpty { query.order = order }
        return query
    }

    /// `true`/`false`/`1`/`0` (any case); nil for anything else.
    public static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }
}

/// GET `/cts/api/1/tags/` query: exact `id` and `name`, `order_by` over id and name (default `-id`), paging.
public struct TrackingTagQuery: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable { case id, name }
    public var id: Int64?
    public var name: String?
    /// True when the `id` filter is not a number: nothing matches.
    public var matchesNothing = false
    public var order: [(field: Field, descending: Bool)] = [(.id, true)]
    public var page = 1
    public var perPage = 10

    public init() {}

    public static func == (a: TrackingTagQuery, b: TrackingTagQuery) -> Bool {
        a.id == b.id && a.name == b.name && a.matchesNothing == b.matchesNothing && a.page == b.page
            && a.perPage == b.perPage
            && a.order.map(\.field) == b.order.map(\.field) && a.order.map(\.descending) == b.order.map(\.descending)
    }

    public static func parse(_ arguments: [(name: String, value: String)]) throws(ComposeError) -> TrackingTagQuery {
        try RequestInput.refuseUnknownArguments(arguments, known: ["id", "name", "order_by", "page", "per_page"])
        var query = TrackingTagQuery()
        var first: [String: String] = [:]
        var orderKeys: [String] = []
        for (name, value) in arguments {
            if name == "order_by" { orderKeys.append(value) }
            if first[name] == nil { first[name] = value }
        }
        (query.page, query.perPage) = try RequestInput.paging(page: first["page"], perPage: first["per_page"])
        if let v = first["id"], !v.isEmpty {
            if let n = Int64(v) { query.id = n } else { query.matchesNothing = true }
        }
        if let v = first["name"], !v.isEmpty { query.name = v }
        var order: [(Field, Bool)] = []
        for key in orderKeys where !key.isEmpty {
            let descending = key.hasPrefix("-")
            guard let field = Field(rawValue: descending ? String(key.dropFirst()) : key) else {
                throw .invalid("An invalid order_by key was suplied, allowed keys are: id, name")
            }
            order.append((field, descending))
        }
        if !order.isEmpty { query.order = order }
        return query
    }
}
