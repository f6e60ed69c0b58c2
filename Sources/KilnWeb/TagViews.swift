public import KilnCore

/// One row of `/cts/tags/`.
public struct TagRow: Sendable, Equatable {
    public var name: String
    public var href: String
    public var tagDescription: String
    public var taggers: String
    public var untaggers: String
    public var composeCount: Int64
    public var composesHref: String

    public init(_ tag: TrackingTag, composeCount: Int64) {
        name = tag.name
        href = TrackedLinks.tag(tag.name)
        tagDescription = tag.description
        taggers = TagView.holders(users: tag.taggers, groups: tag.taggerGroups)
        untaggers = TagView.holders(users: tag.untaggers, groups: tag.untaggerGroups)
        self.composeCount = composeCount
        composesHref = "/cts/composes/?tag=" + percentEncode(tag.name)
    }
}

/// `/cts/tags/`: every tag (a page of them), with who may put it on and take it off and how many composes carry it.
public struct TagListView: Sendable {
    public var rows: [TagRow]
    public var hasRows: Bool
    public var pager: PagerView
    public var apiHref: String

    public init(
        arguments: [(name: String, value: String)], page: Page<TrackingTag>, perPage: Int, counts: [String: Int64]
    ) {
        rows = page.items.map { TagRow($0, composeCount: counts[$0.name] ?? 0) }
        hasRows = !rows.isEmpty
        pager = PagerView(
            page: page.page, perPage: perPage, total: page.total,
            links: PageLinks(baseURL: "/cts/tags/", query: arguments, repeats: .kept))
        let encoded = arguments.map { percentEncode($0.name) + "=" + percentEncode($0.value) }
        apiHref = "/cts/api/1/tags/" + (encoded.isEmpty ? "" : "?" + encoded.joined(separator: "&"))
    }
}

/// `/cts/tags/{tag}`: the tag, its taggers and untaggers, the composes carrying it and its history.
public struct TagView: Sendable {
    public struct Holder: Sendable, Equatable {
        public var name: String
        public var kind: String
    }

    public var name: String
    public var tagID: Int64
    public var tagDescription: String
    public var documentation: String
    public var documentationIsLink: Bool
    public var taggers: [Holder]
    public var untaggers: [Holder]
    public var hasTaggers: Bool
    public var hasUntaggers: Bool
    public var composes: [TrackedComposeRow]
    public var hasComposes: Bool
    public var composeTotal: Int
    public var moreComposes: Bool
    public var composesHref: String
    public var changes: [ChangeRow]
    public var jsonHref: String
    public var changesHref: String

    /// Composes the page lists at most (the newest); the compose list filtered by the tag has them all.
    public static let composesShown = 25

    public init(tag: TrackingTag, composes: Page<TrackedCompose>, changes: [TrackingChange]) {
        name = tag.name
        tagID = tag.id
        tagDescription = tag.description
        documentation = tag.documentation
        documentationIsLink = RequestInput.isHTTPURL(tag.documentation)
        taggers =
            tag.taggers.map { Holder(name: $0, kind: "user") }
            + tag.taggerGroups.map { Holder(name: $0, kind: "group") }
        untaggers =
            tag.untaggers.map { Holder(name: $0, kind: "user") }
            + tag.untaggerGroups.map { Holder(name: $0, kind: "group") }
        hasTaggers = !taggers.isEmpty
        hasUntaggers = !untaggers.isEmpty
        self.composes = composes.items.map(TrackedComposeRow.init)
        hasComposes = !self.composes.isEmpty
        composeTotal = composes.total
        moreComposes = composes.total > composes.items.count
        composesHref = "/cts/composes/?tag=" + percentEncode(tag.name)
        self.changes = changes.map(ChangeRow.init)
        jsonHref = TrackedLinks.apiTag(tag.name)
        changesHref = jsonHref + "/changes/"
    }

    /// `alice, bob, group releng` (or "admins only" when nobody else may).
    static func holders(users: [String], groups: [String]) -> String {
        let all = users + groups.map { "group " + $0 }
        return all.isEmpty ? "admins only" : all.joined(separator: ", ")
    }
}
