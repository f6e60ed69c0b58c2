internal import KilnConfiguration
internal import KilnCore
internal import KilnFastCGI
internal import KilnPlatform
internal import KilnStore
internal import Logging

/// The ODCS compose endpoints. Each reads as: parse, authorize, act in one transaction, render.
struct ComposeRoutes {
    let context: RequestContext
    var service: ServiceConfiguration { context.service }
    var permissions: Permissions { Permissions(configuration: service) }

    /// GET /api/1/composes/
    func list() throws -> HTTPResponse {
        let arguments = context.request.queryArguments
        let query = try ComposeListQuery.parse(arguments)
        let origin = context.externalOrigin
        let cacheKey =
            origin + context.request.path + "?" + context.request.query + "#"
            + (context.request.headers["x-script-name"] ?? "")
        let bypassCache = context.request.headers["cache-control"]?.lowercased().contains("no-cache") == true
        let (cached, page) = try context.read { c -> ([UInt8]?, Page<Compose>?) in
            let store = ComposeStore(c)
            // `Cache-Control: no-cache` asks for the page as the database has it now: no stored copy is served.
            if !bypassCache, let body = context.cache.body(for: cacheKey, version: try store.version()) {
                return (body, nil)
            }
            return (nil, try store.list(query))
        }
        if let cached { return context.json(bytes: cached, cors: true) }
        guard let page else { throw APIError(status: 500, message: "list page missing") }
        var w = JSONWriter(capacity: 1600 * page.items.count + 600)
        w.beginObject()
        w.key("items")
        w.beginArray()
        for compose in page.items { compose.write(into: &w, configuration: service) }
        w.endArray()
        w.key("meta")
        w.raw(page.meta(links: context.pageLinks(repeats: .dropped)))
        w.endObject()
        if let version = page.version { context.cache.store(w.bytes, for: cacheKey, version: version) }
        return context.json(bytes: w.bytes, cors: true)
    }

    /// GET /api/1/composes/<id>
    func get(id: Int64) throws -> HTTPResponse {
        guard let compose = try context.read({ c in try ComposeStore(c).get(id: id) }) else {
            throw ComposeError.notFound("No such compose found.")
        }
        return context.json(compose, full: true, cors: true)
    }

    /// POST /api/1/composes/
    func create() throws -> HTTPResponse {
        let caller = try authorize(scope: "new-compose", role: "allowed_clients")
        let policy = RepoSourcePolicy(
            roots: service.repoRoots, remote: service.remoteSources, resolve: { Platform.realPath($0) })
        let request = try ComposeRequest.parse(
            body: context.request.body, owner: caller.ownerName, configuration: service, repoPolicy: policy)
        try permissions.requireInputAllowed(
            permissions.inputs(for: request.compose, includeTargetDirs: true), for: caller)
        let compose = try context.transaction { c in
            try ensureUser(caller, c)
            let stored = try ComposeStore(c).insert(request.compose, secondsToLive: request.secondsToLive)
            try announce(stored, c)
            return stored
        }
        context.logger.info(
            "compose submitted", metadata: ["kiln.compose.id": "\(compose.id)", "kiln.user": "\(caller.ownerName)"])
        return context.json(compose)
    }

    /// PATCH /api/1/composes/<id>
    func renew(id: Int64) throws -> HTTPResponse {
        let caller = try authorize(scope: "renew-compose", role: "allowed_clients")
        let request = try RenewRequest.parse(body: context.request.body)
        return context.json(try renew(id: id, request: request, caller: caller).compose)
    }

    /// A renewal from a page's form (its fields made into the request the PATCH body would be): the same checks and
    /// the same change as the API's.
    func renew(id: Int64, request: RenewRequest) throws -> (compose: Compose, copied: Bool) {
        try renew(id: id, request: request, caller: try authorize(scope: "renew-compose", role: "allowed_clients"))
    }

    /// Extends `id` or stores its copy; returns the compose as it is now (the copy when one was made).
    private func renew(id: Int64, request: RenewRequest, caller: Caller) throws -> (compose: Compose, copied: Bool) {
        let result = try context.transaction { c -> (compose: Compose, copied: Bool) in
            try ensureUser(caller, c)
            let store = ComposeStore(c)
            guard let old = try store.get(id: id, forUpdate: true) else {
                throw ComposeError.notFound("No compose with id \(id) found")
            }
            switch try request.plan(for: old, caller: caller, configuration: service) {
            case .extend(let seconds):
                try store.extend(id: old.id, reusedID: old.reusedID, secondsToLive: seconds)
                return (try store.get(id: id)!, false)
            case .copy(let template, let seconds):
                let copy = try store.insert(template, secondsToLive: seconds)
                try announce(copy, c)
                return (copy, true)
            }
        }
        context.logger.info(
            result.copied ? "compose renewed as a new compose" : "compose extended",
            metadata: [
                "kiln.compose.id": "\(result.compose.id)", "kiln.compose.renewed_from": "\(id)",
                "kiln.user": "\(caller.ownerName)",
            ])
        return result
    }

    /// DELETE /api/1/composes/<id>
    func delete(id: Int64) throws -> HTTPResponse {
        let plan = try remove(id: id)
        let body: JSON = ["status": 202, "message": .string(DeleteRequest.message(for: plan, id: id))]
        return context.json(body, status: 202)
    }

    /// A delete, from the API or a page's form: cancels a waiting compose or marks a finished one expired.
    func remove(id: Int64) throws -> DeleteRequest.Plan {
        let caller = context.caller
        try permissions.requireIdentity(caller)
        try permissions.requireScope("delete-compose", for: caller)
        let plan = try context.transaction { c -> DeleteRequest.Plan in
            try ensureUser(caller, c)
            let store = ComposeStore(c)
            guard let compose = try store.get(id: id, forUpdate: true) else {
                throw ComposeError.notFound("No such compose found.")
            }
            let plan = try DeleteRequest.plan(for: compose, caller: caller, configuration: service)
            switch plan {
            case .cancel(let reason):
                try announce(try store.transition(id: id, to: .failed, reason: reason), c)
            case .markExpired(let removedBy):
                try store.markExpired(id: id, removedBy: removedBy)
            }
            return plan
        }
        context.logger.info(
            "compose delete accepted", metadata: ["kiln.compose.id": "\(id)", "kiln.user": "\(caller.ownerName)"])
        return plan
    }

    private func authorize(scope: String, role: String) throws -> Caller {
        let caller = context.caller
        try permissions.requireIdentity(caller)
        try permissions.requireScope(scope, for: caller)
        try permissions.requireRole(role, for: caller)
        return caller
    }

    private func ensureUser(_ caller: Caller, _ c: PGConnection) throws {
        if case .user(let identity) = caller { try UserStore(c).ensure(username: identity.username) }
    }

    /// The state-changed message, written in the same transaction as the change.
    private func announce(_ compose: Compose, _ c: PGConnection) throws {
        try OutboxStore(c).append(.composeStateChanged(compose, configuration: service))
    }
}
