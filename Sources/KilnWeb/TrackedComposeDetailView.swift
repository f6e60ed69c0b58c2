public import KilnCore

/// `/cts/composes/{compose_id}`: every field of the API's JSON, its tags with the tag and untag forms, its relations,
/// its change history and its contents by variant and arch.
public struct TrackedComposeDetailView: Sendable {
    /// One variant and arch of the compose's contents: the counts, and its first RPMs.
    public struct Tree: Sendable, Equatable {
        public struct RPM: Sendable, Equatable {
            public var nevra: String
            public var category: String
            public var sigkey: String
            public var srpm: String
        }

        public var variant: String
        public var arch: String
        public var binary: Int
        public var debug: Int
        public var source: Int
        public var total: Int
        public var rpms: [RPM]
        /// How many RPMs of the tree the page does not show (see `jsonHref` for all of them).
        public var notShown: Int
        public var truncated: Bool
        public var jsonHref: String
    }

    /// A tag the compose carries, with whether the form offers to take it off.
    public struct CarriedTag: Sendable, Equatable {
        public var name: String
        public var href: String
    }

    public var composeID: String
    public var fields: [FieldView]
    public var tags: [CarriedTag]
    public var hasTags: Bool
    /// Tags the compose does not carry, for the tag form.
    public var otherTags: [String]
    public var hasOtherTags: Bool
    public var actionHref: String
    public var parents: [LinkView]
    public var children: [LinkView]
    public var respunBy: [LinkView]
    public var respinOfLink: LinkView?
    public var hasRelations: Bool
    public var hasParents: Bool
    public var hasChildren: Bool
    public var hasRespunBy: Bool
    public var hasRepoFiles: Bool
    public var changes: [ChangeRow]
    public var trees: [Tree]
    public var hasContents: Bool
    /// All the RPMs of the compose, and how many.
    public var rpmCount: Int
    public var treesNotShown: Int
    public var someTreesNotShown: Bool
    public var jsonHref: String
    public var changesHref: String
    public var rpmsHref: String
    public var repoFiles: [LinkView]
    public var locationURL: String?
    public var locationIsLink: Bool
    public var previousDiff: LinkView?
    public var odcsCompose: LinkView?
    public var notice: String?

    /// RPMs a tree shows at most; the rest are in the API's listing.
    public static let rpmsPerTree = 100
    /// Trees the page shows the RPMs of at most (the counts of all of them are shown).
    public static let treesShown = 24

    public init(
        compose: TrackedCompose, allTags: [String], changes: [TrackingChange], counts: [ComposeContents.TreeCount]?,
        rpms: [ComposeContents.Entry], variants: [String], previous: String?, odcsComposeID: Int64?,
        notice: String?
    ) {
        composeID = compose.composeID
        var json = compose.json.objectValue ?? JSONObject()
        for related in ["tags", "parents", "children", "respun_by"] { json[related] = nil }
        fields = FieldView.flatten(.object(json))
        tags = compose.tags.map { CarriedTag(name: $0, href: TrackedLinks.tag($0)) }
        hasTags = !tags.isEmpty
        otherTags = allTags.filter { !compose.tags.contains($0) }
        hasOtherTags = !otherTags.isEmpty
        actionHref = TrackedLinks.compose(compose.composeID) + "/tags"
        parents = compose.parents.map(LinkView.compose)
        children = compose.children.map(LinkView.compose)
        respunBy = compose.respunBy.map(LinkView.compose)
        respinOfLink = compose.respinOf.map(LinkView.compose)
        hasParents = !parents.isEmpty
        hasChildren = !children.isEmpty
        hasRespunBy = !respunBy.isEmpty
        hasRelations = hasParents || hasChildren || hasRespunBy || respinOfLink != nil
        self.changes = changes.map(ChangeRow.init)
        let api = TrackedLinks.apiCompose(compose.composeID)
        jsonHref = api
        changesHref = api + "/changes/"
        rpmsHref = api + "/rpms/"
        var byTree: [String: [Tree.RPM]] = [:]
        for e in rpms {
            byTree[e.variant + "\u{0}" + e.arch, default: []].append(
                Tree.RPM(
                    nevra: e.rpm.description, category: e.category.rawValue, sigkey: e.sigkey ?? "",
                    srpm: e.sourceRPM.description))
        }
        let counts = counts ?? []
        trees = counts.prefix(Self.treesShown).map { c in
            let shown = byTree[c.variant + "\u{0}" + c.arch] ?? []
            let total = c.binary + c.debug + c.source
            return Tree(
                variant: c.variant, arch: c.arch, binary: c.binary, debug: c.debug, source: c.source, total: total,
                rpms: shown, notShown: total - shown.count, truncated: total > shown.count,
                jsonHref: api + "/rpms/?variant=" + percentEncode(c.variant) + "&arch=" + percentEncode(c.arch)
                    + "&per_page=" + String(RequestInput.maximumPerPage))
        }
        hasContents = !counts.isEmpty
        rpmCount = counts.reduce(0) { $0 + $1.total }
        treesNotShown = max(0, counts.count - Self.treesShown)
        someTreesNotShown = treesNotShown > 0
        let url = compose.composeURL
        locationURL = url
        locationIsLink = url.map(RequestInput.isHTTPURL) ?? false
        repoFiles =
            locationIsLink
            ? variants.map {
                LinkView(text: $0, href: api + "/repo/?variant=" + percentEncode($0))
            } : []
        hasRepoFiles = !repoFiles.isEmpty
        previousDiff = previous.map {
            LinkView(text: $0, href: TrackedLinks.diff(from: $0, to: compose.composeID))
        }
        odcsCompose = odcsComposeID.map { LinkView(text: "#\($0)", href: "/odcs/composes/\($0)") }
        self.notice = notice
    }

    /// What the notice after a tag or untag says (`done` is the action's outcome: tag, untag or none).
    public static func notice(done: String, tag: String) -> String? {
        switch done {
        case "tag": "Tagged \(tag)."
        case "untag": "Took \(tag) off."
        case "none": "Nothing changed: the compose already was as asked (\(tag))."
        default: nil
        }
    }
}
