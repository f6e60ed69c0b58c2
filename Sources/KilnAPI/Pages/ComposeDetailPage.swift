internal import KilnCore
internal import KilnFastCGI
internal import KilnPlatform
internal import KilnStore
internal import KilnWeb

/// `GET /odcs/composes/{id}`: one compose: every field of its API JSON, its states' times, links to its files, its
/// JSON and the composes it is related to, the actions the signed-in person may take, and while it is waiting or
/// generating the build monitor (httpd/static/kiln-monitor.js follows it; without JavaScript the page shows the
/// state and the end of the log as they were when it was rendered).
struct ComposeDetailPage {
    let context: RequestContext

    /// The end of the generation log a page shows at first (the whole log is one link away).
    static let logTailBytes = 16_384

    /// What an action's redirect may ask the page to say (`?notice=`): fixed sentences, never request text.
    static let notices: [String: String] = [
        "renewed": "Renewed: this is the new compose, a copy of the one you renewed.",
        "extended": "Renewed: the compose stays until its new expiry time.",
        "canceled": "Canceled.",
        "delete-accepted": "The delete request was accepted: the compose is removed by the next expire run.",
    ]

    struct TimeRow: Sendable {
        var label: String
        var value: String
        var hasValue: Bool
        var missing: String
    }

    struct Link: Sendable {
        var label: String
        var href: String
        var note: String
        var hasNote: Bool

        init(_ label: String, _ href: String, note: String = "") {
            self.label = label
            self.href = href
            self.note = note
            hasNote = !note.isEmpty
        }
    }

    struct View: Sendable {
        var id: Int64
        var state: String
        var reason: String
        var hasReason: Bool
        var notice: String
        var hasNotice: Bool
        var live: Bool
        var progress: PhaseProgress
        var apiHref: String
        var logHref: String
        var logText: String
        var hasLog: Bool
        var logTruncated: Bool
        var logOffset: Int64
        var times: [TimeRow]
        var links: [Link]
        var reusedBy: [Link]
        var hasReusedBy: Bool
        var fields: [FieldRow]
        var signedIn: Bool
        var canRenew: Bool
        var renewAction: String
        var defaultSecondsToLive: String
        var canCancel: Bool
        var cancelAction: String
        var cancelLabel: String
        var actionNotes: [String]
        var hasActionNotes: Bool
    }

    func render(id: Int64) throws -> HTTPResponse {
        let query = try PageQuery(context.request, allowed: ["notice"])
        var notice = ""
        if let key = query["notice"] {
            guard let text = Self.notices[key] else {
                throw APIError(status: 400, message: "Unknown notice \"\(percentEncode(key))\".")
            }
            notice = text
        }
        let read = try context.read { c -> (Compose, Int64?, [Int64])? in
            let store = ComposeStore(c)
            guard let compose = try store.get(id: id) else { return nil }
            let previous = compose.state == .removed ? nil : try store.previousDone(before: compose)
            return (compose, previous, try store.reusing(id: id, limit: 50))
        }
        guard let (compose, previous, reusedBy) = read else {
            throw ComposeError.notFound("No such compose found.")
        }
        let log = Platform.readTail(
            context.service.targetDir + "/.logs/odcs-\(compose.id).log", maxBytes: Self.logTailBytes)
        let session = context.pageSession
        var view = view(compose, previous: previous, reusedBy: reusedBy, log: log, session: session)
        view.notice = notice
        view.hasNotice = !notice.isEmpty
        return context.page("compose-detail", title: "Compose \(compose.id)", section: "composes", view: view)
    }

    func view(
        _ compose: Compose, previous: Int64?, reusedBy: [Int64], log: (bytes: [UInt8], size: Int64)?,
        session: PageSession?
    ) -> View {
        let service = context.service
        let json = compose.json(configuration: service, full: true)
        let object = json.objectValue ?? JSONObject()
        let id = compose.id
        let live = compose.state == .wait || compose.state == .generating
        let reason = compose.stateReason ?? ""
        let logText = log.map { PageText.logTail($0.bytes, fromStart: Int64($0.bytes.count) >= $0.size) } ?? ""

        func time(_ label: String, _ t: Timestamp?, missing: String = "not yet") -> TimeRow {
            TimeRow(label: label, value: t?.iso8601 ?? "", hasValue: t != nil, missing: missing)
        }
        var times = [time("Submitted", compose.timeSubmitted), time("Started", compose.timeStarted)]
        if compose.state == .failed {
            times.append(time("Failed", compose.timeDone, missing: "(no time recorded)"))
        } else {
            times.append(time("Done", compose.timeDone))
        }
        times.append(time("Removed", compose.timeRemoved, missing: "no"))
        times.append(time("Expires", compose.timeToExpire))

        var links = [Link("JSON", "/api/1/composes/\(id)", note: "this compose in the API")]
        let files = object["toplevel_url"]?.stringValue ?? ""
        if compose.state == .done, !files.isEmpty {
            links.append(Link("Files", files + "/", note: "the compose tree"))
            if let repo = object["result_repofile"]?.stringValue, !repo.isEmpty {
                links.append(Link(".repo file", repo, note: "for dnf"))
            }
            links.append(Link("composeinfo.json", files + "/compose/metadata/composeinfo.json", note: "productmd"))
            links.append(Link("rpms.json", files + "/compose/metadata/rpms.json", note: "productmd"))
        }
        if log != nil { links.append(Link("Generation log", Self.logPath(id))) }
        if let reused = compose.reusedID {
            links.append(Link("Compose \(reused)", "/odcs/composes/\(reused)", note: "whose files this one reuses"))
        }
        if let previous {
            links.append(
                Link(
                    "Compare with previous", "/diff/?from=\(previous)&to=\(id)",
                    note: "compose \(previous), the previous done one of this source"))
        }
        links.append(
            Link(
                "Composes of this source",
                "/odcs/composes/?source_type=\(compose.sourceType.name)&source="
                    + percentEncode(compose.source)))

        let actions = Self.actions(compose, session: session, configuration: service)
        return View(
            id: id, state: compose.state.name, reason: reason, hasReason: !reason.isEmpty, notice: "", hasNotice: false,
            live: live, progress: PhaseProgress(compose.progress), apiHref: "/api/1/composes/\(id)",
            logHref: Self.logPath(id), logText: logText, hasLog: log != nil,
            logTruncated: log.map { Int64($0.bytes.count) < $0.size } ?? false, logOffset: log?.size ?? 0,
            times: times, links: links,
            reusedBy: reusedBy.map { Link("\($0)", "/odcs/composes/\($0)") }, hasReusedBy: !reusedBy.isEmpty,
            fields: FieldRow.rows(object), signedIn: session != nil,
            canRenew: actions.renew, renewAction: "/odcs/composes/\(id)/renew",
            defaultSecondsToLive: "\(actions.defaultSecondsToLive)",
            canCancel: actions.cancel != nil, cancelAction: "/odcs/composes/\(id)/cancel",
            cancelLabel: actions.cancel ?? "", actionNotes: actions.notes, hasActionNotes: !actions.notes.isEmpty)
    }

    /// Where httpd serves a compose's generation log, while it is generated and after.
    static func logPath(_ id: Int64) -> String { "/composes/odcs-\(id)/pungi-stderr.log" }

    /// Which actions the page offers `session`'s person: decided by the same rules the API's PATCH and DELETE apply
    /// (which decide again when the form is sent). `cancel` is the button's label when one is offered; `notes` say
    /// why an action is not.
    static func actions(_ compose: Compose, session: PageSession?, configuration: ServiceConfiguration) -> (
        renew: Bool, defaultSecondsToLive: Int64, cancel: String?, notes: [String]
    ) {
        let rawConfigKey =
            compose.sourceType == .rawConfig ? compose.source.split(separator: "#").first.map(String.init) : nil
        let defaultSeconds =
            (try? SecondsToLive.resolve(body: JSONObject(), rawConfigKey: rawConfigKey, configuration: configuration))
            ?? configuration.secondsToLive
        guard let session else { return (false, defaultSeconds, nil, []) }
        let caller = Caller.user(session.identity)
        let permissions = Permissions(configuration: configuration)
        var notes: [String] = []
        var renew = false
        if [.done, .failed, .removed].contains(compose.state) {
            do throws(ComposeError) {
                try permissions.requireRole("allowed_clients", for: caller)
                let request = try RenewRequest.parse(JSONObject())
                _ = try request.plan(for: compose, caller: caller, configuration: configuration)
                renew = true
            } catch {
                notes.append("Renew: " + error.message)
            }
        }
        var cancel: String?
        if compose.state != .generating && compose.state != .removed {
            do throws(ComposeError) {
                switch try DeleteRequest.plan(for: compose, caller: caller, configuration: configuration) {
                case .cancel: cancel = "Cancel"
                case .markExpired: cancel = "Delete"
                }
            } catch {
                if compose.state == .wait { notes.append("Cancel: " + error.message) }
            }
        }
        return (renew, defaultSeconds, cancel, notes)
    }
}
