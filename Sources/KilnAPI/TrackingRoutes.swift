internal import KilnConfiguration
internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import Logging

/// The compose tracking endpoints (CTS API v1 under `/cts/api/1/`). Each reads as: authorize, parse, act in one
/// transaction (changes and their messages together), render.
struct TrackingRoutes {
    let context: RequestContext
    var permissions: TrackingPermissions { TrackingPermissions(configuration: context.service) }

    /// The caller of a write, and the name its changes are recorded under, once it holds `scope` (under OIDC) and
    /// `role`.
    func writer(scope: String, role: TrackingPermissions.Role?) throws -> (caller: Caller, user: String) {
        let caller = context.caller
        try permissions.require(scope: scope, role: role, caller)
        return (caller, TrackingPermissions.username(caller))
    }

    func store(_ c: PGConnection) -> TrackingStore { TrackingStore(c) }

    // MARK: Composes

    /// GET /cts/api/1/composes/
    func listComposes() throws -> HTTPResponse {
        let query = try TrackedComposeQuery.parse(context.request.queryArguments)
        let page = try context.read { c in try store(c).list(query) }
        return listBody(page.items.map(\.json), page: page)
    }

    /// `{"items", "meta"}`; links keep every other argument in order, repeats included (CTS).
    func listBody<T>(_ items: [JSON], page: Page<T>) -> HTTPResponse {
        context.json(["items": .array(items), "meta": page.meta(links: context.pageLinks(repeats: .kept))], cors: true)
    }

    /// GET /cts/api/1/composes/<id>
    func getCompose(_ id: String) throws -> HTTPResponse {
        guard let compose = try context.read({ c in try store(c).compose(id: id) }) else {
            throw ComposeError.notFound("No such compose found.")
        }
        return context.json(compose.json, cors: true)
    }

    /// POST /cts/api/1/composes/: import a productmd ComposeInfo; answers it with the id and respin it got.
    func importCompose() throws -> HTTPResponse {
        let (_, builder) = try writer(scope: "new-compose", role: .allowedBuilders)
        let request = try ComposeImportRequest.parse(body: context.request.body)
        let outcome = try context.transaction { c in
            let outcome = try store(c).importCompose(request, builder: builder)
            if let contents = request.contents {
                try ComposeContentsStore(c).replace(
                    key: outcome.compose.key, with: contents, source: .uploaded, by: builder)
            }
            return outcome
        }
        var info = request.info
        info.id = outcome.compose.composeID
        info.respin = outcome.compose.info.respin
        context.logger.info(
            "compose imported",
            metadata: [
                "kiln.cts.compose_id": "\(info.id)", "kiln.user": "\(builder)",
                "kiln.cts.requested_respin": "\(request.info.respin)",
            ])
        return context.json(info.json(includeVariants: true))
    }

    /// PATCH /cts/api/1/composes/<id>: tag, untag, set_url. The body is parsed before the transaction; its errors
    /// answer after the compose's 404, as CTS's do.
    func patchCompose(_ id: String) throws -> HTTPResponse {
        let (caller, user) = try writer(scope: "edit-compose", role: nil)
        let parsed = Result { () throws(ComposeError) in try TrackedComposePatch.parse(body: context.request.body) }
        let (compose, action) = try context.transaction { c -> (TrackedCompose, String) in
            let tracking = store(c)
            guard let compose = try tracking.compose(id: id, forUpdate: true) else {
                throw ComposeError.notFound("No such compose found.")
            }
            let patch = try parsed.get()
            switch patch.action {
            case .tag(let name), .untag(let name):
                let kind: TrackingTag.Kind = patch.action == .tag(name) ? .tagger : .untagger
                guard let tag = try tracking.tags.tag(named: name) else {
                    throw ComposeError.invalid("Tag \"\(name)\" does not exist")
                }
                try permissions.requireTagPermission(kind, tag, caller)
                let changed = try tracking.tags.apply(kind, tag: tag, to: compose, user: user, userData: patch.userData)
                return (try tracking.compose(key: compose.key) ?? compose, changed ? patch.action.name : "none")
            case .setURL(let url):
                try permissions.requireSetURL(caller)
                let url = try url.get()
                try ComposeContentsStore(c).scheduleFetch(key: compose.key)
                return (try tracking.setURL(url, of: compose, user: user), "set_url")
            }
        }
        context.logger.info(
            "tracked compose changed",
            metadata: [
                "kiln.cts.compose_id": "\(compose.composeID)", "kiln.cts.action": "\(action)", "kiln.user": "\(user)",
            ])
        return context.json(compose.json)
    }

    /// GET /cts/api/1/composes/<id>/changes/
    func composeChanges(_ id: String) throws -> HTTPResponse {
        let changes = try context.read { c -> [TrackingChange] in
            guard let compose = try store(c).compose(id: id) else {
                throw ComposeError.notFound("No such compose found.")
            }
            return try store(c).changes(of: compose)
        }
        return context.json(["changes": .array(changes.map(\.json))], cors: true)
    }

    /// GET /cts/api/1/composes/<id>/repo/?variant=V
    /// The variant must be one of the compose's own, so nothing but its name reaches the file.
    func repo(_ id: String) throws -> HTTPResponse {
        try RequestInput.refuseUnknownArguments(context.request.queryArguments, known: ["variant"])
        let variant = context.request.queryArguments.first { $0.name == "variant" }?.value ?? ""
        let (compose, variants) = try context.read { c -> (TrackedCompose, [String]) in
            guard let compose = try store(c).compose(id: id) else {
                throw ComposeError.notFound("No such compose found.")
            }
            guard !variant.isEmpty else { throw ComposeError.invalid("variant is required.") }
            return (compose, try store(c).variants(of: compose))
        }
        guard variants.contains(variant) else {
            throw ComposeError.notFound("Compose \(compose.composeID) has no variant \"\(variant)\".")
        }
        guard let text = compose.repoFile(variant: variant) else {
            throw ComposeError.notFound("Compose does not have any URL set")
        }
        return HTTPResponse(
            status: 200,
            headers: [("Content-Type", "text/plain; charset=utf-8"), ("Access-Control-Allow-Origin", "*")],
            body: Array(text.utf8))
    }

    // MARK: Tags

    /// GET /cts/api/1/tags/
    func listTags() throws -> HTTPResponse {
        let query = try TrackingTagQuery.parse(context.request.queryArguments)
        let page = try context.read { c in try store(c).tags.list(query) }
        return listBody(page.items.map(\.json), page: page)
    }

    /// A tag by numeric id or by name.
    func findTag(_ ref: String, _ c: PGConnection) throws -> TrackingTag? {
        if !ref.isEmpty, ref.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return Int64(ref).flatMap { try? store(c).tags.tag(id: $0) } ?? nil
        }
        return try store(c).tags.tag(named: ref)
    }

    /// GET /cts/api/1/tags/<id-or-name>
    func getTag(_ ref: String) throws -> HTTPResponse {
        guard let tag = try context.read({ c in try findTag(ref, c) }) else {
            throw ComposeError.notFound("No such tag found.")
        }
        return context.json(tag.json, cors: true)
    }

    /// POST /cts/api/1/tags/ (admins)
    func createTag() throws -> HTTPResponse {
        let (_, user) = try writer(scope: "new-tag", role: .admins)
        let request = try TagCreateRequest.parse(body: context.request.body)
        let tag = try context.transaction { c in
            try store(c).tags.create(
                name: request.name, description: request.description, documentation: request.documentation,
                user: user, userData: request.userData)
        }
        context.logger.info("tag created", metadata: ["kiln.cts.tag": "\(tag.name)", "kiln.user": "\(user)"])
        return context.json(tag.json)
    }

    /// PATCH /cts/api/1/tags/<id> (admins, numeric id only): field edits and (un)tagger management.
    func patchTag(_ ref: String) throws -> HTTPResponse {
        let (_, user) = try writer(scope: "edit-tag", role: .admins)
        let parsed = Result { () throws(ComposeError) in try TagPatchRequest.parse(body: context.request.body) }
        let tag = try context.transaction { c -> TrackingTag in
            let tracking = store(c)
            guard ref.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let id = Int64(ref),
                try tracking.tags.tag(id: id, forUpdate: true) != nil
            else {
                throw ComposeError.notFound("No such tag found.")
            }
            let patch = try parsed.get()
            try tracking.tags.update(
                id: id, name: patch.name, description: patch.description, documentation: patch.documentation)
            if let grant = patch.grant {
                if grant.adds {
                    try tracking.tags.grant(
                        grant.kind, on: id, username: grant.username, group: grant.group, actor: user,
                        userData: grant.userData)
                } else {
                    try tracking.tags.revoke(
                        grant.kind, on: id, username: grant.username, group: grant.group, actor: user,
                        userData: grant.userData)
                }
            }
            guard let tag = try tracking.tags.tag(id: id) else { throw ComposeError.notFound("No such tag found.") }
            return tag
        }
        context.logger.info("tag changed", metadata: ["kiln.cts.tag": "\(tag.name)", "kiln.user": "\(user)"])
        return context.json(tag.json)
    }

    /// GET /cts/api/1/tags/<id-or-name>/changes/
    func tagChanges(_ ref: String) throws -> HTTPResponse {
        let changes = try context.read { c -> [TrackingChange] in
            guard let tag = try findTag(ref, c) else { throw ComposeError.notFound("No such tag found.") }
            return try store(c).tags.changes(tagID: tag.id)
        }
        return context.json(["changes": .array(changes.map(\.json))], cors: true)
    }

    // MARK: Identity and service

    /// GET /cts/api/1/userinfo (login required)
    func userinfo() throws -> HTTPResponse {
        let caller = context.caller
        try Permissions(configuration: context.service).requireIdentity(caller)
        let tags = try context.read { c in try store(c).tags.all() }
        return context.json(permissions.userInfo(caller, tags: tags))
    }

    /// GET /cts/api/1/about/
    func about() -> HTTPResponse {
        let service = context.service
        let builders = service.allowedBuilders
        let body: JSON = [
            "version": .string(context.configuration.version),
            "auth_backend": .string(service.authBackend),
            "allowed_builders": [
                "users": .array(builders.users.map { .string($0) }),
                "groups": .array(builders.groups.map { .string($0) }),
            ],
        ]
        return context.json(body, cors: true)
    }

    /// GET /cts/api/1/metrics/: `composes_total{tag=...}`, the number of composes carrying each tag.
    func metrics() throws -> HTTPResponse {
        let counts = try context.read { c in try store(c).tags.composeCounts() }
        var out = "# HELP composes_total Number of tagged composes\n# TYPE composes_total gauge\n"
        for (tag, count) in counts {
            let label = tag.prometheusLabelValue()
            out += "composes_total{tag=\"\(label)\"} \(count)\n"
        }
        return HTTPResponse(
            status: 200,
            headers: [
                ("Content-Type", "text/plain; version=0.0.4; charset=utf-8"), ("Access-Control-Allow-Origin", "*"),
            ],
            body: Array(out.utf8))
    }
}
