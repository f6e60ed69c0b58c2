internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import Logging

/// Compose contents, beyond CTS: a tracked compose's RPMs (`/cts/api/1/composes/<id>/rpms/`), uploading them, and
/// the diff between two composes (`/cts/api/1/composes/<a>/diff/<b>`).
extension TrackingRoutes {
    func contents(_ c: PGConnection) -> ComposeContentsStore { ComposeContentsStore(c) }

    /// GET /cts/api/1/composes/<id>/rpms/?variant=&arch=&rpm_arch=&name=&category=&page=&per_page=
    func composeRPMs(_ id: String) throws -> HTTPResponse {
        let query = try ComposeContentsQuery.parse(context.request.queryArguments)
        let page = try context.read { c -> Page<ComposeContents.Entry> in
            let compose = try recordedCompose(id, c)
            return try contents(c).list(key: compose.key, query)
        }
        return listBody(page.items.map(\.json), page: page)
    }

    /// POST (only when none is recorded yet; else 409) or PUT (replaces) /cts/api/1/composes/<id>/rpms/ with a
    /// productmd rpms.json body: the compose's builder or an admin, with the `edit-compose` scope under OIDC.
    func uploadRPMs(_ id: String, replace: Bool) throws -> HTTPResponse {
        let (caller, user) = try writer(scope: "edit-compose", role: nil)
        let upload = Result { () throws(ComposeError) in
            try ComposeContentsUpload.parse(body: context.request.body, replaces: replace)
        }
        let (compose, status) = try context.transaction { c -> (TrackedCompose, ComposeContentsStore.Status?) in
            guard let compose = try store(c).compose(id: id, forUpdate: true) else {
                throw ComposeError.notFound("No such compose found.")
            }
            guard compose.builder == user || permissions.has(.admins, caller) else {
                throw ComposeError.forbidden(
                    "User \"\(user)\" may not change the RPM list of compose \(compose.composeID): "
                        + "only its builder (\(compose.builder)) and admins may.")
            }
            let parsed = try upload.get().contents
            if let named = parsed.composeID, named != compose.composeID {
                throw ComposeError.invalid(
                    "Cannot parse \"rpms\": it describes compose \(named), not \(compose.composeID).")
            }
            if !replace, try contents(c).hasContents(key: compose.key) {
                throw ComposeError(.conflict, "Compose \(compose.composeID) already has an RPM list; PUT replaces it.")
            }
            try contents(c).replace(key: compose.key, with: parsed, source: .uploaded, by: user)
            return (compose, try contents(c).status(key: compose.key))
        }
        context.logger.info(
            "compose contents uploaded",
            metadata: [
                "kiln.cts.compose_id": "\(compose.composeID)", "kiln.user": "\(user)",
                "kiln.cts.rpms": "\(status?.rpmCount ?? 0)",
            ])
        var body = status?.json.objectValue ?? JSONObject()
        body["compose_id"] = .string(compose.composeID)
        return context.json(.object(body))
    }

    /// GET /cts/api/1/composes/<a>/diff/<b>: what changed from compose a to compose b.
    func composeDiff(_ a: String, _ b: String) throws -> HTTPResponse {
        let diff = try context.read { c -> ComposeDiff in
            let from = try recordedCompose(a, c)
            let to = try recordedCompose(b, c)
            return try contents(c).diff(from: from, to: to)
        }
        return context.json(diff.json, cors: true)
    }

    /// The tracked compose `id`, which must have an RPM list recorded (404 otherwise).
    func recordedCompose(_ id: String, _ c: PGConnection) throws -> TrackedCompose {
        guard let compose = try store(c).compose(id: id) else {
            throw ComposeError.notFound("No such compose found: \(id).")
        }
        guard try contents(c).hasContents(key: compose.key) else {
            throw ComposeError.notFound("Compose \(compose.composeID) has no RPM list recorded.")
        }
        return compose
    }
}
