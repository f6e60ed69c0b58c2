public import KilnCore

/// Links between the tracked-compose pages: where a compose, a tag or the API's JSON of them lives.
public enum TrackedLinks {
    public static func compose(_ id: String) -> String { "/cts/composes/" + percentEncode(id) }
    public static func tag(_ name: String) -> String { "/cts/tags/" + percentEncode(name) }
    public static func apiCompose(_ id: String) -> String { "/cts/api/1/composes/" + percentEncode(id) }
    public static func apiTag(_ name: String) -> String { "/cts/api/1/tags/" + percentEncode(name) }
    public static func diff(from: String, to: String) -> String {
        "/diff/?from=" + percentEncode(from) + "&to=" + percentEncode(to)
    }
}

/// A link to a page: its text and where it goes.
public struct LinkView: Sendable, Equatable {
    public var text: String
    public var href: String
    public init(text: String, href: String) {
        self.text = text
        self.href = href
    }

    public static func compose(_ id: String) -> LinkView { LinkView(text: id, href: TrackedLinks.compose(id)) }
    public static func tag(_ name: String) -> LinkView { LinkView(text: name, href: TrackedLinks.tag(name)) }
}

/// One name and value of a record, as a definition list shows it.
public struct FieldView: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Every scalar of `json`, by its dotted path (`compose_info.payload.compose.id`), in document order; arrays
    /// of scalars are joined with ", ", and an empty object or array is shown as such.
    public static func flatten(_ json: JSON, prefix: String = "") -> [FieldView] {
        switch json {
        case .object(let object):
            if object.pairs.isEmpty { return prefix.isEmpty ? [] : [FieldView(name: prefix, value: "{}")] }
            return object.pairs.flatMap { flatten($0.1, prefix: prefix.isEmpty ? $0.0 : prefix + "." + $0.0) }
        case .array(let items):
            if items.allSatisfy({ $0.objectValue == nil && $0.arrayValue == nil }) {
                return [
                    FieldView(name: prefix, value: items.isEmpty ? "[]" : items.map(scalar).joined(separator: ", "))
                ]
            }
            return items.enumerated().flatMap { flatten($0.element, prefix: "\(prefix)[\($0.offset)]") }
        default:
            return [FieldView(name: prefix, value: scalar(json))]
        }
    }

    static func scalar(_ json: JSON) -> String {
        switch json {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        default: String(decoding: json.serializedBytes(), as: UTF8.self)
        }
    }
}

/// A page's links to the pages before and after it, keeping every other query argument.
public struct PagerView: Sendable, Equatable {
    public var page: Int
    public var pages: Int
    public var total: Int
    public var firstHref: String?
    public var prevHref: String?
    public var nextHref: String?
    public var lastHref: String?
    /// Whether there is more than one page (the links are shown then).
    public var several: Bool

    /// `links` has the page's own path as its base URL and the page's query arguments.
    public init(page: Int, perPage: Int, total: Int, links: PageLinks) {
        self.page = page
        self.total = total
        pages = perPage == 0 ? 0 : (total + perPage - 1) / perPage
        several = pages > 1
        firstHref = page > 1 ? links.url(page: 1, perPage: perPage) : nil
        prevHref = page > 1 ? links.url(page: min(page - 1, max(pages, 1)), perPage: perPage) : nil
        nextHref = page < pages ? links.url(page: page + 1, perPage: perPage) : nil
        lastHref = page < pages ? links.url(page: pages, perPage: perPage) : nil
    }
}

/// One row of the tracked-compose list.
public struct TrackedComposeRow: Sendable, Equatable {
    public var composeID: String
    public var composeHref: String
    public var release: String
    public var composeType: String
    public var date: String
    public var respin: Int
    public var tags: [LinkView]
    public var builder: String

    public init(_ compose: TrackedCompose) {
        composeID = compose.composeID
        composeHref = TrackedLinks.compose(compose.composeID)
        let release = compose.info.release
        self.release = release.short + "-" + release.version + (release.type == "ga" ? "" : "-" + release.type)
        composeType = compose.info.type.rawValue
        date = compose.info.date
        respin = compose.info.respin
        tags = compose.tags.map(LinkView.tag)
        builder = compose.builder
    }
}

/// `/cts/composes/`: the filter form, the rows and the pager.
public struct TrackedListView: Sendable {
    /// The form's fields, each the API's query argument of the same name, filled with the value in use.
    public struct Filter: Sendable, Equatable {
        public var name: String
        public var label: String
        public var value: String
        public var placeholder: String
    }

    public var filters: [Filter]
    public var rows: [TrackedComposeRow]
    public var hasRows: Bool
    public var pager: PagerView
    public var apiHref: String
    public var perPage: Int

    /// The names the form offers, with their labels and hints.
    public static let formFields: [(name: String, label: String, placeholder: String)] = [
        ("release_short", "Release", "Fedora"),
        ("release_version", "Version", "Rawhide"),
        ("tag", "Tag", "nightly"),
        ("rpm_nvr", "Contains build (N-V-R)", "bash-5.2.26-3.fc40"),
        ("builder", "Builder", "pungi"),
    ]

    /// `arguments` are the page's (and the API's) query arguments, `query` what they parse to.
    public init(
        arguments: [(name: String, value: String)], query: TrackedComposeQuery, page: Page<TrackedCompose>
    ) {
        filters = Self.formFields.map { field in
            Filter(
                name: field.name, label: field.label,
                value: arguments.first { $0.name == field.name }?.value ?? "", placeholder: field.placeholder)
        }
        rows = page.items.map(TrackedComposeRow.init)
        hasRows = !rows.isEmpty
        perPage = query.perPage
        pager = PagerView(
            page: query.page, perPage: query.perPage, total: page.total,
            links: PageLinks(baseURL: "/cts/composes/", query: arguments, repeats: .kept))
        let encoded = arguments.map { percentEncode($0.name) + "=" + percentEncode($0.value) }
        apiHref = "/cts/api/1/composes/" + (encoded.isEmpty ? "" : "?" + encoded.joined(separator: "&"))
    }
}

/// One entry of a change history.
public struct ChangeRow: Sendable, Equatable {
    public var time: String
    public var action: String
    public var user: String
    public var message: String
    public var userData: String

    public init(_ change: TrackingChange) {
        time = change.time.iso8601
        action = change.action
        user = change.user
        message = change.message ?? ""
        userData = change.userData ?? ""
    }
}
