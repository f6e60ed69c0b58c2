internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import Logging
internal import KilnConfiguration

/// The compose tracking endpoints (CTS API v1 under `/cts/api/1/`). Each reads as: authorize, parse, act in one
/// transaction (changes and their messages together), render.
struct TrackingRoutes {
    let context: RequestContext
    var service: ServiceConfiguration { context.service }
    var permissions: TrackingPermissions { TrackingPermissions(configuration: service) }

    func store(_ c: PGConnection) -> TrackingStore { TrackingStore(c) }

    func handle(_ route: TrackingRoute) throws -> HTTPResponse {
        let method = context.request.method
        switch route {
        case .composes: return method == "POST" ? try importCompose() : try listComposes()
        case .compose(let id): return method == "PATCH" ? try patchCompose(id) : try getCompose(id)
        case .composeChanges(let id): return try composeChanges(id)
        case .composeRepo(let id): return try repo(id)
        case .composeRPMs(let id): return method == "GET" || method == "HEAD" ? try composeRPMs(id) : try uploadRPMs(id, replace: method == "PUT")
        case .composeDiff(let a, let b): return try composeDiff(a, b)
        case .tags: return method == "POST" ? try createTag() : try listTags()
        case .tag(let ref): return method == "PATCH" ? try patchTag(ref) : try getTag(ref)
        case .tagChanges(let ref): return try tagChanges(ref)
        case .userinfo: return try userinfo()
        case .about: return about()
        case .metrics: return try metrics()
        }
    }

    // MARK: Composes

    /// GET /cts/api/1/composes/
    func listComposes() throws -> HTTPResponse {
        let query = try TrackedComposeQuery.parse(context.request.queryArguments)
        let page = try context.read { c in try store(c).list(query) }
        return listBody(page.items.map(\.json), page: page)
    }

    /// `{"items", "meta"}`; links keep every other argument in order, repeats included (CTS).
    func listBody<T>(_ items: [JSON], page: Page<T>) -> HTTPResponse {
        var others: [(String, String)] = []
        for (name, value) in context.request.queryArguments where !["page", "per_page", "endpoint"].contains(name) && !name.hasPrefix("_") {
            others.append((percentEncode(name), percentEncode(value)))
        }
        let script = context.request.headers["x-script-name"] ?? ""
        let path = script.isEmpty || context.request.path.hasPrefix(script) ? context.request.path : script + context.request.path
        let body: JSON = ["items": .array(items), "meta": page.meta(baseURL: context.externalOrigin + path, otherArguments: others)]
        return context.json(body, cors: true)
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
        let caller = context.caller
        try permissions.require(scope: "new-compose", role: .allowedBuilders, caller)
        let request = try ComposeImportRequest.parse(body: context.request.body)
        let builder = TrackingPermissions.username(caller)
        let contents = try request.rpms.map { value throws(ComposeError) in try ComposeContents.parse(value) }
        let outcome = try context.transaction { c in
            let outcome = try store(c).importCompose(request, builder: builder)
            if let contents { try ComposeContentsStore(c).replace(key: outcome.compose.key, with: contents, source: .uploaded, by: builder) }
            return outcome
        }
        var info = request.info
        info.id = outcome.compose.composeID
        info.respin = outcome.compose.info.respin
        context.logger.info("compose imported", metadata: [
            "kiln.cts.compose_id": "\(info.id)", "kiln.user": "\(builder)", "kiln.cts.requested_respin": "\(request.info.respin)",
        ])
        return context.json(info.json(includeVariants: true))
    }

    /// PATCH /cts/api/1/composes/<id>: tag, untag, set_url.
    func patchCompose(_ id: String) throws -> HTTPResponse {
        let caller = context.caller
        try permissions.require(scope: "edit-compose", role: nil, caller)
        let user = TrackingPermissions.username(caller)
        let (compose, action) = try context.transaction { c -> (TrackedCompose, String) in
            let tracking = store(c)
            guard let compose = try tracking.compose(id: id, forUpdate: true) else { throw ComposeError.notFound("No such compose found.") }
            let data = try body(emptyMessage: "No JSON PATCH data submitted.")
            guard let action = data["action"], action != .null else { throw ComposeError.invalid("No \"action\" field in JSON PATCH data.") }
            let userData = try optionalString(data, "user_data")
            switch action.stringValue {
            case "tag"?, "untag"?:
                let kind: TrackingTag.Kind = action.stringValue == "tag" ? .tagger : .untagger
                guard let name = data["tag"]?.stringValue, !name.isEmpty else {
                    throw ComposeError.invalid("No \"tag\" field in JSON PATCH data.")
                }
                guard let tag = try tracking.tags.tag(named: name) else { throw ComposeError.invalid("Tag \"\(name)\" does not exist") }
                try permissions.requireTagPermission(kind, tag, caller)
                let changed = try tracking.tags.apply(kind, tag: tag, to: compose, user: user, userData: userData)
                return (try tracking.compose(key: compose.key) ?? compose, changed ? action.stringValue! : "none")
            case "set_url"?:
                try permissions.requireSetURL(caller)
                guard let urlValue = data["compose_url"], urlValue != .null else {
                    throw ComposeError.invalid("No \"compose_url\" field in JSON PATCH data.")
                }
                guard let url = urlValue.stringValue, RequestInput.isHTTPURL(url) else {
                    throw ComposeError.invalid("\"compose_url\" field must be a valid http(s) URL")
                }
                try ComposeContentsStore(c).scheduleFetch(key: compose.key)
                return (try tracking.setURL(url, of: compose, user: user), "set_url")
            default:
                throw ComposeError.invalid("Unknown action.")
            }
        }
        context.logger.info("tracked compose changed", metadata: [
            "kiln.cts.compose_id": "\(compose.composeID)", "kiln.cts.action": "\(action)", "kiln.user": "\(user)",
        ])
        return context.json(compose.json)
    }

    /// GET /cts/api/1/composes/<id>/changes/
    func composeChanges(_ id: String) throws -> HTTPResponse {
        let changes = try context.read { c -> [TrackingChange] in
            guard let compose = try store(c).compose(id: id) else { throw ComposeError.notFound("No such compose found.") }
            return try store(c).changes(of: compose)
        }
        return context.json(["changes": .array(changes.map(\.json))], cors: true)
    }

    /// GET /cts/api/1/composes/<id>/repo/?variant=V
    /// The variant must be one of the compose's own, so nothing but its name reaches the file.
    func repo(_ id: String) throws -> HTTPResponse {
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
        guard let text = compose.repoFile(variant: variant) else { throw ComposeError.notFound("Compose does not have any URL set") }
        return HTTPResponse(
            status: 200, headers: [("Content-Type", "text/plain; charset=utf-8"), ("Access-Control-Allow-Origin", "*")],
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
        guard let tag = try context.read({ c in try findTag(ref, c) }) else { throw ComposeError.notFound("No such tag found.") }
        return context.json(tag.json, cors: true)
    }

    /// POST /cts/api/1/tags/ (admins)
    func createTag() throws -> HTTPResponse {
        let caller = context.caller
        try permissions.require(scope: "new-tag", role: .admins, caller)
        let data = try body(emptyMessage: "No JSON POST data submitted.")
        var fields: [String: String] = [:]
        for name in ["name", "description", "documentation"] {
            guard let value = data[name]?.stringValue, !value.isEmpty else { throw ComposeError.invalid("Tag \"\(name)\" is not defined.") }
            fields[name] = value
        }
        let userData = try optionalString(data, "user_data")
        let user = TrackingPermissions.username(caller)
        let tag = try context.transaction { c in
            try store(c).tags.create(
                name: fields["name"]!, description: fields["description"]!, documentation: fields["documentation"]!, user: user,
                userData: userData)
        }
        context.logger.info("tag created", metadata: ["kiln.cts.tag": "\(tag.name)", "kiln.user": "\(user)"])
        return context.json(tag.json)
    }

    /// PATCH /cts/api/1/tags/<id> (admins, numeric id only): field edits and (un)tagger management.
    func patchTag(_ ref: String) throws -> HTTPResponse {
        let caller = context.caller
        try permissions.require(scope: "edit-tag", role: .admins, caller)
        let user = TrackingPermissions.username(caller)
        let tag = try context.transaction { c -> TrackingTag in
            let tracking = store(c)
            guard ref.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let id = Int64(ref), try tracking.tags.tag(id: id, forUpdate: true) != nil else {
                throw ComposeError.notFound("No such tag found.")
            }
            let data = try body(emptyMessage: "No JSON POST data submitted.")
            func edit(_ key: String) throws -> String? {
                guard let v = data[key], v.isTruthy else { return nil }
                guard let s = v.stringValue else { throw ComposeError.invalid("Tag \"\(key)\" must be a string.") }
                return s
            }
            try tracking.tags.update(id: id, name: try edit("name"), description: try edit("description"), documentation: try edit("documentation"))
            if let actionValue = data["action"], actionValue != .null {
                let actions = ["add_tagger", "remove_tagger", "add_untagger", "remove_untagger"]
                guard let action = actionValue.stringValue, actions.contains(action) else { throw ComposeError.invalid("Unknown action.") }
                let username = try optionalString(data, "username").flatMap { $0.isEmpty ? nil : $0 }
                let group = try optionalString(data, "group").flatMap { $0.isEmpty ? nil : $0 }
                guard username != nil || group != nil else {
                    throw ComposeError.invalid("Either \"username\" or \"group\" should be defined.")
                }
                let userData = try optionalString(data, "user_data")
                let kind: TrackingTag.Kind = action.hasSuffix("_tagger") ? .tagger : .untagger
                if action.hasPrefix("add_") {
                    try tracking.tags.grant(kind, on: id, username: username, group: group, actor: user, userData: userData)
                } else {
                    try tracking.tags.revoke(kind, on: id, username: username, group: group, actor: user, userData: userData)
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
        try Permissions(configuration: service).requireIdentity(caller)
        let tags = try context.read { c in try store(c).tags.all() }
        return context.json(permissions.userInfo(caller, tags: tags))
    }

    /// GET /cts/api/1/about/
    func about() -> HTTPResponse {
        let builders = service.allowedBuilders
        let body: JSON = [
            "version": .string(context.configuration.version),
            "auth_backend": .string(service.authBackend),
            "allowed_builders": ["users": .array(builders.users.map { .string($0) }), "groups": .array(builders.groups.map { .string($0) })],
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
            headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"), ("Access-Control-Allow-Origin", "*")],
            body: Array(out.utf8))
    }

    // MARK: Bodies

    /// The request body as a JSON object; `emptyMessage` when it is empty, `{}` or `null`.
    func body(emptyMessage: String) throws -> JSONObject {
        let json: JSON
        do {
            json = try JSONParser.parse(context.request.body)
        } catch {
            if context.request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                throw ComposeError.invalid(emptyMessage)
            }
            throw ComposeError.invalid(error.requestBodyMessage)
        }
        guard json.isTruthy else { throw ComposeError.invalid(emptyMessage) }
        guard let data = json.objectValue else { throw ComposeError.invalid("The request body must be a JSON object") }
        try RequestInput.requireNoControlCharacters(json)
        return data
    }

    func optionalString(_ data: JSONObject, _ key: String) throws -> String? {
        switch data[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw ComposeError.invalid("\"\(key)\" must be a string.")
        }
    }
}
