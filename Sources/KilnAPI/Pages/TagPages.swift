internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import KilnWeb

/// The tag pages: `GET /cts/tags/` (the tracking API's tag list and its query) and `GET /cts/tags/{tag}`.
struct TagPages {
    let context: RequestContext

    func list() throws -> HTTPResponse {
        let arguments = context.request.queryArguments
        let query = try TrackingTagQuery.parse(arguments)
        let (page, counts) = try context.read { c -> (Page<TrackingTag>, [String: Int64]) in
            let tags = TrackingStore(c).tags
            let page = try tags.list(query)
            return (page, try tags.composeCounts(ids: page.items.map(\.id)))
        }
        let view = TagListView(arguments: arguments, page: page, perPage: query.perPage, counts: counts)
        return context.page("tags", title: "Tags", section: "tags", view: view)
    }

    /// A tag by name; a name of digits that no tag has is taken as a tag's numeric id, as the API reads it.
    func detail(_ ref: String) throws -> HTTPResponse {
        _ = try PageQuery(context.request, allowed: [])
        let view = try context.read { c -> TagView in
            let tracking = TrackingStore(c)
            var tag = try tracking.tags.tag(named: ref)
            if tag == nil, ref.utf8.count <= 18, ref.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let id = Int64(ref)
            {
                tag = try tracking.tags.tag(id: id)
            }
            guard let tag else { throw ComposeError.notFound("No such tag found: \(ref).") }
            var query = TrackedComposeQuery()
            query.tagFilter = .tags(required: [tag.name], excluded: [])
            query.perPage = TagView.composesShown
            return TagView(
                tag: tag, composes: try tracking.list(query), changes: try tracking.tags.changes(tagID: tag.id))
        }
        return context.page("tag", title: "Tag " + view.name, section: "tags", view: view)
    }
}
