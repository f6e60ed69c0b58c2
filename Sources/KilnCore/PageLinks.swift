/// Where the links of a list's `meta` point: the list's absolute URL, and the query arguments they carry besides
/// `page` and `per_page`.
public struct PageLinks: Sendable, Equatable {
    /// What becomes of a query argument given more than once.
    public enum Repeats: Sendable {
        /// Every occurrence is kept, in order (CTS).
        case kept
        /// Only the first occurrence of a name is kept (ODCS).
        case dropped
    }

    /// `scheme://host/path` of the list.
    public var baseURL: String
    /// Percent-encoded names and values, in request order.
    public var arguments: [(name: String, value: String)]

    /// Arguments named `page`, `per_page` or `endpoint`, and those whose name starts with `_`, are left out: the
    /// links set the paging themselves, and the others never select anything.
    public init(baseURL: String, query: [(name: String, value: String)], repeats: Repeats) {
        self.baseURL = baseURL
        var seen: Set<String> = []
        arguments = []
        for (name, value) in query where !["page", "per_page", "endpoint"].contains(name) && !name.hasPrefix("_") {
            if repeats == .dropped, !seen.insert(name).inserted { continue }
            arguments.append((percentEncode(name), percentEncode(value)))
        }
    }

    /// The link to page `page` of `perPage` items.
    public func url(page: Int, perPage: Int) -> String {
        var query = "page=\(page)&per_page=\(perPage)"
        for (name, value) in arguments { query += "&\(name)=\(value)" }
        return "\(baseURL)?\(query)"
    }

    public static func == (lhs: PageLinks, rhs: PageLinks) -> Bool {
        lhs.baseURL == rhs.baseURL && lhs.arguments.elementsEqual(rhs.arguments) { $0 == $1 }
    }
}

extension Page {
    /// The `meta` object: the numbers, and absolute links to the first, last, previous and next pages.
    public func meta(links: PageLinks) -> JSON {
        func link(_ p: Int) -> JSON { .string(links.url(page: p, perPage: perPage)) }
        var o = JSONObject()
        o["page"] = .int(Int64(page))
        o["pages"] = .int(Int64(pages))
        o["per_page"] = .int(Int64(perPage))
        o["total"] = .int(Int64(total))
        o["first"] = link(1)
        o["last"] = link(pages)
        o["prev"] = page > 1 ? link(page - 1) : .null
        o["next"] = page < pages ? link(page + 1) : .null
        return .object(o)
    }
}
