/// GET `/api/1/composes/` query: filters, ordering and paging, as ODCS reads them.
public struct ComposeListQuery: Sendable, Equatable {
    public enum Filter: Sendable, Equatable {
        case owner(String)
        case sourceType(SourceType)
        case source(String)
        case state(ComposeState)
        case kojiTaskID(Int64)
        case pungiComposeID(String)
        case composeType(String)
        case label(String)
    }

    public enum OrderKey: String, Sendable, CaseIterable {
        case id, owner
        case sourceType = "source_type"
        case kojiEvent = "koji_event"
        case state
        case timeToExpire = "time_to_expire"
        case timeSubmitted = "time_submitted"
        case timeDone = "time_done"
        case timeRemoved = "time_removed"
    }

    public var filters: [Filter] = []
    /// True when a filter value can never match (a non-numeric state, an unknown source type): the answer is empty.
    public var matchesNothing = false
    public var orderKey: OrderKey = .id
    public var descending = true
    public var page = 1
    public var perPage = 10

    public init() {}

    public static let filterNames = [
        "owner", "source_type", "source", "state", "koji_task_id", "pungi_compose_id", "compose_type", "label",
    ]

    /// Every query argument the list reads: built once, not on each request.
    static let argumentNames = Set(filterNames + ["page", "per_page", "order_by"])

    /// Parses query arguments (first value of each name wins).
    public static func parse(_ arguments: [(name: String, value: String)]) throws(ComposeError) -> ComposeListQuery {
        try RequestInput.refuseUnknownArguments(arguments, known: argumentNames)
        var query = ComposeListQuery()
        var seen = Set<String>()
        for (name, value) in arguments where seen.insert(name).inserted {
            switch name {
            case "page": query.page = try RequestInput.paging(page: value, perPage: nil).page
            case "per_page": query.perPage = try RequestInput.paging(page: nil, perPage: value).perPage
            case "order_by":
                var key = value
                if key.count > 1 && key.hasPrefix("-") {
                    key.removeFirst()
                    query.descending = true
                } else {
                    query.descending = false
                }
                if key == "source_Type" { key = "source_type" }
                guard let orderKey = OrderKey(rawValue: key) else {
                    throw .invalid(
                        "An invalid order_by key was suplied, allowed keys are: "
                            + OrderKey.allCases.map(\.rawValue).joined(separator: ", "))
                }
                query.orderKey = orderKey
            default:
                guard !value.isEmpty else { continue }
                switch name {
                case "owner": query.filters.append(.owner(value))
                case "source": query.filters.append(.source(value))
                case "pungi_compose_id": query.filters.append(.pungiComposeID(value))
                case "compose_type": query.filters.append(.composeType(value))
                case "label": query.filters.append(.label(value))
                case "state":
                    if let state = ComposeState(numberOrName: value) {
                        query.filters.append(.state(state))
                    } else {
                        query.matchesNothing = true
                    }
                case "source_type":
                    if let type = SourceType(numberOrName: value) {
                        query.filters.append(.sourceType(type))
                    } else {
                        query.matchesNothing = true
                    }
                case "koji_task_id":
                    if let id = Int64(value) {
                        query.filters.append(.kojiTaskID(id))
                    } else {
                        query.matchesNothing = true
                    }
                default: break
                }
            }
        }
        return query
    }
}

/// One page of a list and the numbers behind its `meta`.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var page: Int
    public var perPage: Int
    public var total: Int
    /// The store's change counter the page was read at, when known.
    public var version: Int64?

    public init(items: [Item], page: Int, perPage: Int, total: Int) {
        self.items = items
        self.page = page
        self.perPage = perPage
        self.total = total
    }

    public var pages: Int { perPage == 0 ? 0 : (total + perPage - 1) / perPage }
}
