/// One `promotion_rules` entry: "tag as `tag` the newest compose of release `releaseShort` (and `releaseVersion`,
/// `composeType` when given) that carries every `requiredTags` and none of `excludedTags`", run by `kiln promote`
/// at most once per `minIntervalSeconds`. With `exclusive`, the tag then leaves the release's other composes, so
/// it always marks exactly one.
public struct PromotionRule: Sendable, Equatable {
    public var name: String
    public var tag: String
    public var releaseShort: String
    public var releaseVersion: String?
    public var composeType: ComposeID.ComposeType?
    public var requiredTags: [String]
    public var excludedTags: [String]
    public var minIntervalSeconds: Int64
    public var exclusive: Bool

    public init(
        name: String, tag: String, releaseShort: String, releaseVersion: String? = nil,
        composeType: ComposeID.ComposeType? = nil,
        requiredTags: [String] = [], excludedTags: [String] = ["removed"], minIntervalSeconds: Int64 = 0,
        exclusive: Bool = false
    ) {
        self.name = name
        self.tag = tag
        self.releaseShort = releaseShort
        self.releaseVersion = releaseVersion
        self.composeType = composeType
        self.requiredTags = requiredTags
        self.excludedTags = excludedTags
        self.minIntervalSeconds = minIntervalSeconds
        self.exclusive = exclusive
    }

    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public init(reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    static let fields = [
        "name", "tag", "release_short", "release_version", "compose_type", "required_tags", "excluded_tags",
        "min_interval",
        "exclusive",
    ]

    /// Reads one configuration entry (docs/configuration.md, `promotion_rules`).
    public init(config o: JSONObject) throws(Invalid) {
        for key in o.keys where !Self.fields.contains(key) { throw Invalid(reason: "unknown key \(key)") }
        func text(_ key: String, required: Bool) throws(Invalid) -> String? {
            guard let v = o[key], v != .null else {
                if required { throw Invalid(reason: "needs a \"\(key)\"") }
                return nil
            }
            guard let s = v.stringValue, !s.isEmpty else {
                throw Invalid(reason: "\"\(key)\" must be a non-empty string")
            }
            return s
        }
        func names(_ key: String) throws(Invalid) -> [String]? {
            guard let v = o[key] else { return nil }
            guard let items = v.arrayValue else { throw Invalid(reason: "\"\(key)\" must be a list of tag names") }
            var out: [String] = []
            for item in items {
                guard let s = item.stringValue, !s.isEmpty else {
                    throw Invalid(reason: "\"\(key)\" must be a list of tag names")
                }
                if !out.contains(s) { out.append(s) }
            }
            return out
        }
        name = try text("name", required: true)!
        tag = try text("tag", required: true)!
        releaseShort = try text("release_short", required: true)!
        releaseVersion = try text("release_version", required: false)
        if let t = try text("compose_type", required: false) {
            guard let type = ComposeID.ComposeType(rawValue: t) else {
                throw Invalid(reason: "\"compose_type\" must be one of test, ci, nightly, production, development")
            }
            composeType = type
        } else {
            composeType = nil
        }
        requiredTags = try names("required_tags") ?? []
        excludedTags = try names("excluded_tags") ?? ["removed"]
        switch o["min_interval"] {
        case nil, .null?: minIntervalSeconds = 0
        case let v?:
            guard let seconds = v.integerValue ?? v.stringValue.flatMap(Self.seconds(parsing:)), seconds >= 0 else {
                throw Invalid(
                    reason: "\"min_interval\" must be seconds or a duration such as \"20h\", \"1d\" or \"30m\"")
            }
            minIntervalSeconds = seconds
        }
        switch o["exclusive"] {
        case nil, .null?: exclusive = false
        case .bool(let b)?: exclusive = b
        default: throw Invalid(reason: "\"exclusive\" must be true or false")
        }
        if requiredTags.contains(tag) { throw Invalid(reason: "\"tag\" \(tag) cannot also be required") }
        if excludedTags.contains(tag) { throw Invalid(reason: "\"tag\" \(tag) cannot also be excluded") }
        if let both = requiredTags.first(where: excludedTags.contains) {
            throw Invalid(reason: "tag \(both) is both required and excluded")
        }
    }

    /// `90`, `90s`, `30m`, `20h`, `1d`.
    public static func seconds(parsing text: String) -> Int64? {
        guard let last = text.last else { return nil }
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = units[last] {
            guard let n = Int64(text.dropLast()), n >= 0 else { return nil }
            let (product, overflow) = n.multipliedReportingOverflow(by: unit)
            return overflow ? nil : product
        }
        return Int64(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// Whether the rule runs now, given when it last ran.
    public func isDue(lastRun: Timestamp?, now: Timestamp) -> Bool {
        guard let lastRun else { return true }
        return now.secondsSinceEpoch - lastRun.secondsSinceEpoch >= minIntervalSeconds
    }

    /// The release (and type) this rule looks at.
    var scopeFilters: [TrackedComposeQuery.Filter] {
        var filters = [TrackedComposeQuery.Filter(.releaseShort, .exact, releaseShort)]
        if let releaseVersion { filters.append(.init(.releaseVersion, .exact, releaseVersion)) }
        if let composeType { filters.append(.init(.type, .exact, composeType.rawValue)) }
        return filters
    }

    /// The newest eligible compose: latest date, then highest respin (respins grow per release and date, so the
    /// higher one came later).
    public var candidateQuery: TrackedComposeQuery {
        var q = TrackedComposeQuery()
        q.filters = scopeFilters
        q.tagFilter = .tags(required: requiredTags, excluded: excludedTags)
        q.order = [.init(.date, descending: true), .init(.respin, descending: true)]
        q.perPage = 1
        return q
    }

    /// The release's composes that carry the tag now (for `exclusive`), one page of `perPage`.
    public func holdersQuery(page: Int, perPage: Int = 200) -> TrackedComposeQuery {
        var q = TrackedComposeQuery()
        q.filters = scopeFilters
        q.tagFilter = .tags(required: [tag], excluded: [])
        q.order = [.init(.date, descending: true), .init(.respin, descending: true)]
        q.page = page
        q.perPage = perPage
        return q
    }

    /// What to do: tag the candidate unless it has the tag; with `exclusive`, untag every other holder.
    public func plan(candidate: TrackedCompose?, holders: [String]) -> Plan {
        var plan = Plan()
        if let candidate, !candidate.tags.contains(tag) { plan.tag = candidate.composeID }
        if exclusive, let candidate {
            plan.untag = holders.filter { $0 != candidate.composeID }
        }
        return plan
    }

    public struct Plan: Sendable, Equatable {
        /// The compose to tag; nil when the newest already has the tag or nothing is eligible.
        public var tag: String?
        /// Composes that lose the tag (`exclusive` only).
        public var untag: [String] = []
        public init(tag: String? = nil, untag: [String] = []) {
            self.tag = tag
            self.untag = untag
        }
    }
}
