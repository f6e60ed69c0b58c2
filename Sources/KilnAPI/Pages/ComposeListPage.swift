internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import KilnWeb

/// `GET /odcs/composes/`: the compose list. Its query is the API list's (`/api/1/composes/`), read by the same
/// parser, so a page's URL and the JSON it links to select the same composes in the same order.
struct ComposeListPage {
    let context: RequestContext

    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Hidden: Sendable {
        var name: String
        var value: String
    }

    struct View: Sendable {
        var stateOptions: [Option]
        var typeOptions: [Option]
        var orderOptions: [Option]
        var perPageOptions: [Option]
        var owner: String
        var source: String
        /// The API's filters the form has no field for, kept when the form is sent again.
        var hidden: [Hidden]
        var rows: [ComposeRow]
        var hasRows: Bool
        var pager: Pager
        var apiHref: String
    }

    /// The query arguments the filter form has fields for.
    static let formFields: Set<String> = ["state", "source_type", "owner", "source", "order_by", "per_page"]

    func render() throws -> HTTPResponse {
        let arguments = context.request.queryArguments
        let query = try ComposeListQuery.parse(arguments)
        let page = try context.read { c in try ComposeStore(c).list(query) }
        let view = Self.view(arguments: arguments, query: query, page: page, rawQuery: context.request.query)
        return context.page("compose-list", title: "Composes", section: "composes", view: view)
    }

    /// The page's model: the form showing `arguments` (first value of each name, as the API reads them), the rows,
    /// the pager and the link to the same query's JSON.
    static func view(
        arguments: [(name: String, value: String)], query: ComposeListQuery, page: Page<Compose>, rawQuery: String
    ) -> View {
        var first: [String: String] = [:]
        var hidden: [Hidden] = []
        for (name, value) in arguments where first[name] == nil {
            first[name] = value
            if !formFields.contains(name) && name != "page" { hidden.append(Hidden(name: name, value: value)) }
        }
        let state = first["state"].flatMap { ComposeState(numberOrName: $0) }
        let type = first["source_type"].flatMap { SourceType(numberOrName: $0) }
        let stateOptions =
            [Option(value: "", label: "any", selected: state == nil)]
            + ComposeState.allCases.map { Option(value: $0.name, label: $0.name, selected: $0 == state) }
        let typeOptions =
            [Option(value: "", label: "any", selected: type == nil)]
            + SourceType.allCases.map { Option(value: $0.name, label: $0.name, selected: $0 == type) }
        let order = (query.descending ? "-" : "") + query.orderKey.rawValue
        var orderOptions: [Option] = []
        for key in ComposeListQuery.OrderKey.allCases {
            let name = key.rawValue.split(separator: "_").joined(separator: " ")
            orderOptions.append(Option(value: "-" + key.rawValue, label: name + ", descending", selected: false))
            orderOptions.append(Option(value: key.rawValue, label: name + ", ascending", selected: false))
        }
        for i in orderOptions.indices { orderOptions[i].selected = orderOptions[i].value == order }
        var sizes = [10, 20, 50, 100]
        if !sizes.contains(query.perPage) { sizes = (sizes + [query.perPage]).sorted() }
        let perPageOptions = sizes.map { Option(value: "\($0)", label: "\($0)", selected: $0 == query.perPage) }
        let links = PageLinks(baseURL: "/odcs/composes/", query: arguments, repeats: .dropped)
        return View(
            stateOptions: stateOptions, typeOptions: typeOptions, orderOptions: orderOptions,
            perPageOptions: perPageOptions, owner: first["owner"] ?? "", source: first["source"] ?? "", hidden: hidden,
            rows: page.items.map(ComposeRow.init), hasRows: !page.items.isEmpty,
            pager: Pager(links: links, page: query.page, perPage: query.perPage, total: page.total),
            apiHref: "/api/1/composes/" + (rawQuery.isEmpty ? "" : "?" + rawQuery))
    }
}
