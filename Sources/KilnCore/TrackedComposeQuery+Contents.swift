extension TrackedComposeQuery {
    /// `rpm_nvr` (a build's `name-version-release`, optionally `name-epoch:version-release`) and `rpm_name`:
    /// "which composes contain this build / package". Empty values are ignored, like CTS's own filters.
    mutating func parseContentFilters(_ first: [String: String]) throws(ComposeError) {
        if let v = first["rpm_nvr"], !v.isEmpty {
            guard let nvr = RPMNVR(parsing: v) else {
                throw .invalid(
                    "Invalid value for \"rpm_nvr\": \(v). It must be name-version-release, e.g. bash-5.2.26-3.fc40.")
            }
            rpmNVR = nvr
        }
        if let v = first["rpm_name"], !v.isEmpty { rpmName = v }
    }
}

/// GET `/cts/api/1/composes/<id>/rpms/` query: exact `variant`, `arch` (the arch the RPM is listed under),
/// `rpm_arch` (the package's own arch), `name`, `category`; paged like every list (`page`, `per_page`).
public struct ComposeContentsQuery: Sendable, Equatable {
    public var variant: String?
    public var arch: String?
    public var rpmArch: String?
    public var name: String?
    public var category: ComposeContents.Category?
    public var page = 1
    public var perPage = 10

    public init() {}

    public static func parse(_ arguments: [(name: String, value: String)]) throws(ComposeError) -> ComposeContentsQuery
    {
        try RequestInput.refuseUnknownArguments(
            arguments, known: ["variant", "arch", "rpm_arch", "name", "category", "page", "per_page"])
        var query = ComposeContentsQuery()
        var first: [String: String] = [:]
        for (name, value) in arguments where first[name] == nil { first[name] = value }
        (query.page, query.perPage) = try RequestInput.paging(page: first["page"], perPage: first["per_page"])
        func value(_ key: String) -> String? { first[key].flatMap { $0.isEmpty ? nil : $0 } }
        query.variant = value("variant")
        query.arch = value("arch")
        query.rpmArch = value("rpm_arch")
        query.name = value("name")
        if let c = value("category") {
            guard let category = ComposeContents.Category(rawValue: c) else {
                throw .invalid("Invalid value for \"category\": \(c). It must be binary, debug or source.")
            }
            query.category = category
        }
        return query
    }
}
