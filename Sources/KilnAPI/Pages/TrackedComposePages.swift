internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import KilnWeb

/// The tracked-compose pages:
///
/// * `GET /cts/composes/`: the list, read with the tracking API's own query (`/cts/api/1/composes/?<same query>`).
/// * `GET /cts/composes/{compose_id}`: one compose, its tags, relations, history and contents.
/// * `POST /cts/composes/{compose_id}/tags`: tag or untag it from the page, through the API's PATCH.
struct TrackedComposePages {
    let context: RequestContext

    func list() throws -> HTTPResponse {
        let arguments = context.request.queryArguments
        // The API's parser checks every name and value first; a refused query is refused here alike.
        _ = try TrackedComposeQuery.parse(arguments)
        // The filter form sends its empty fields too: the page's URL is the API's query without them.
        if arguments.contains(where: { $0.value.isEmpty }) {
            let kept = arguments.filter { !$0.value.isEmpty }
            return context.redirect(to: "/cts/composes/" + Self.queryString(kept))
        }
        let query = try TrackedComposeQuery.parse(arguments)
        let page = try context.read { c in try TrackingStore(c).list(query) }
        let view = TrackedListView(arguments: arguments, query: query, page: page)
        return context.page("tracked-list", title: "Tracked composes", section: "tracked", view: view)
    }

    static func queryString(_ arguments: [(name: String, value: String)]) -> String {
        arguments.isEmpty
            ? "" : "?" + arguments.map { percentEncode($0.name) + "=" + percentEncode($0.value) }.joined(separator: "&")
    }

    /// The notice a tag action left (`done` = tag, untag or none, and the `tag`).
    static let noticeArguments: Set<String> = ["done", "tag"]

    func detail(_ id: String) throws -> HTTPResponse {
        let query = try PageQuery(context.request, allowed: Self.noticeArguments)
        var notice: String?
        if let done = query["done"] {
            guard let tag = query["tag"], tag.utf8.count <= 255,
                let text = TrackedComposeDetailView.notice(done: done, tag: tag)
            else {
                throw APIError(status: 400, message: "\"done\" is tag, untag or none, with the \"tag\" it was about.")
            }
            notice = text
        }
        let view = try context.read { c -> TrackedComposeDetailView in
            let tracking = TrackingStore(c)
            guard let compose = try tracking.compose(id: id) else {
                throw ComposeError.notFound("No such compose found: \(id).")
            }
            let contents = ComposeContentsStore(c)
            let counts = try contents.treeCounts(key: compose.key)
            let rpms =
                counts.isEmpty
                ? []
                : try contents.firstRPMs(
                    key: compose.key, perTree: TrackedComposeDetailView.rpmsPerTree,
                    trees: TrackedComposeDetailView.treesShown)
            return TrackedComposeDetailView(
                compose: compose, allTags: try tracking.tags.names(limit: 1000),
                changes: try tracking.changes(of: compose),
                counts: counts,
                rpms: rpms, variants: compose.composeURL == nil ? [] : try tracking.variants(of: compose),
                previous: try tracking.previous(of: compose), odcsComposeID: try tracking.odcsComposeID(of: compose),
                notice: notice)
        }
        return context.page("tracked-compose", title: view.composeID, section: "tracked", view: view)
    }

    /// `POST /cts/composes/{compose_id}/tags` (form: `csrf`, `tag`, `action` = tag | untag): the API's PATCH, run for
    /// the signed-in person, so the tag's taggers and untaggers decide; 303 back to the compose with a notice.
    func changeTag(_ id: String) throws -> HTTPResponse {
        let (session, fields) = try context.pageAction(fields: ["tag", "action"])
        guard let action = fields["action"], action == "tag" || action == "untag" else {
            throw APIError(status: 400, message: "The form's action must be tag or untag.")
        }
        guard let tag = fields["tag"], !tag.isEmpty else {
            throw APIError(status: 400, message: "Choose the tag to \(action).")
        }
        let before = try context.read { c in try TrackingStore(c).compose(id: id) }
        let body: JSON = ["action": .string(action), "tag": .string(tag)]
        let acting = context.acting(as: session).withBody(body.serializedBytes())
        let answer = try TrackingRoutes(context: acting).patchCompose(id)
        guard answer.status == 200 else { return answer }
        let carried = (try? JSONParser.parse(answer.bodyText))?["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let changed = (before?.tags.contains(tag) ?? false) != carried.contains(tag)
        let done = changed ? action : "none"
        return context.redirect(
            to: TrackedLinks.compose(before?.composeID ?? id) + "?done=\(done)&tag=" + percentEncode(tag))
    }
}

extension RequestContext {
    /// This context with `body` as the request's body: a page action handing its form, as JSON, to the API's handler.
    func withBody(_ body: [UInt8]) -> RequestContext {
        var request = self.request
        request.body = body
        var c = RequestContext(
            request: request, session: session, logger: logger, configuration: configuration, metrics: metrics,
            cache: cache)
        c.parameters = parameters
        c.pageKey = pageKey
        c.callerOverride = callerOverride
        return c
    }
}
