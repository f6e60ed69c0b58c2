public import KilnCore

/// A compose as one row of a page's table (the compose list, the dashboard's queue and failures).
public struct ComposeRow: Sendable {
    public var id: Int64
    public var href: String
    public var owner: String
    public var sourceType: String
    /// The source, shortened for a table cell; `sourceFull` is the whole of it (the cell's title).
    public var source: String
    public var sourceFull: String
    public var state: String
    public var submitted: String
    public var started: String
    public var expires: String
    /// The first line of the state reason, shortened.
    public var reason: String
    public var hasProgress: Bool
    public var progress: PhaseProgress

    public init(_ compose: Compose) {
        id = compose.id
        href = "/odcs/composes/\(compose.id)"
        owner = compose.owner
        sourceType = compose.sourceType.name
        source = PageText.shortened(compose.source, to: 80)
        sourceFull = compose.source
        state = compose.state.name
        submitted = compose.timeSubmitted.iso8601
        started = compose.timeStarted?.iso8601 ?? ""
        expires = compose.timeToExpire.iso8601
        reason = PageText.shortened(PageText.firstLine(compose.stateReason ?? ""), to: 200)
        hasProgress = compose.progress != nil
        progress = PhaseProgress(compose.progress)
    }
}

/// How far a generation is: the phase the generator named, and its steps when it counts them.
public struct PhaseProgress: Sendable, Equatable {
    public var phase: String
    public var done: Int
    public var total: Int
    /// Whether the phase counts steps (a `<progress>` with a value); otherwise the bar is indeterminate.
    public var counted: Bool
    /// `3 of 12` for a counted phase, empty otherwise.
    public var steps: String

    public init(_ progress: Compose.Progress?) {
        phase = progress?.phase ?? "queued"
        total = max(0, progress?.total ?? 0)
        done = min(max(0, progress?.done ?? 0), total)
        counted = total > 0
        steps = counted ? "\(done) of \(total)" : ""
    }
}

/// Text shaping for pages: what a table cell or a summary line shows.
public enum PageText {
    /// `text` cut to at most `limit` characters, with an ellipsis when it was longer.
    public static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit > 1 else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }

    /// The first non-empty line of `text`.
    public static func firstLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    /// The end of a log as a page shows it: invalid UTF-8 replaced, and when the text does not start at the file's
    /// beginning (`fromStart` false), the partial first line dropped.
    public static func logTail(_ bytes: [UInt8], fromStart: Bool) -> String {
        var slice = bytes[...]
        if !fromStart, let newline = slice.firstIndex(of: 0x0A) { slice = slice[(newline + 1)...] }
        return String(decoding: slice, as: UTF8.self)
    }
}

/// One field of a JSON object as a definition list shows it: scalars as text, arrays as lists, objects as
/// `key: value` lines.
public struct FieldRow: Sendable, Equatable {
    public var name: String
    public var value: String
    /// Null or an empty string or list.
    public var empty: Bool
    public var isList: Bool
    public var items: [String]

    /// The fields of `object`, in its key order.
    public static func rows(_ object: JSONObject) -> [FieldRow] {
        object.pairs.map { pair in
            switch pair.value {
            case .array(let values):
                let items = values.map(Self.text)
                return FieldRow(name: pair.key, value: "", empty: items.isEmpty, isList: true, items: items)
            case .object(let o):
                let items = o.pairs.map { "\($0.key): \(Self.text($0.value))" }
                return FieldRow(name: pair.key, value: "", empty: items.isEmpty, isList: true, items: items)
            default:
                let value = Self.text(pair.value)
                return FieldRow(name: pair.key, value: value, empty: value.isEmpty, isList: false, items: [])
            }
        }
    }

    static func text(_ value: JSON) -> String {
        switch value {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .array, .object: value.serialized()
        }
    }
}

/// The links of a paged list: first, previous, next and last, keeping every other query argument.
public struct Pager: Sendable, Equatable {
    public var page: Int
    public var pages: Int
    public var total: Int
    public var first: String
    public var last: String
    public var hasPrev: Bool
    public var prev: String
    public var hasNext: Bool
    public var next: String

    /// `links` carries the list's path and its query arguments besides `page` and `per_page`.
    public init(links: PageLinks, page: Int, perPage: Int, total: Int) {
        let pages = perPage == 0 ? 0 : (total + perPage - 1) / perPage
        self.page = page
        self.pages = pages
        self.total = total
        first = links.url(page: 1, perPage: perPage)
        last = links.url(page: max(pages, 1), perPage: perPage)
        hasPrev = page > 1 && pages > 0
        prev = hasPrev ? links.url(page: min(page - 1, pages), perPage: perPage) : ""
        hasNext = page < pages
        next = hasNext ? links.url(page: page + 1, perPage: perPage) : ""
    }
}
