internal import KilnCore
internal import KilnFastCGI

/// The compose page's actions, posted as forms: `POST /odcs/composes/{id}/renew` and `.../cancel`.
///
/// Each runs the API's own handler code (`ComposeRoutes.renew(id:request:)`, the PATCH's, and
/// `ComposeRoutes.remove(id:)`, the DELETE's) as the signed-in person, so the API's permissions and rules apply to
/// them; the renewal's form fields become the `RenewRequest` a PATCH body would, through the same parser. A refusal
/// is the error page with the API's status and message; success is a 303 to the compose's page (the new compose's,
/// for a renewal that made a copy) with a notice.
struct ComposeActions {
    let context: RequestContext

    /// The longest `seconds_to_live` a form may send (the API lowers any value to `max_seconds_to_live` anyway).
    static let secondsToLiveDigits = 18

    func renew(id: Int64) throws -> HTTPResponse {
        let (session, fields) = try context.pageAction(fields: ["seconds_to_live"])
        let request = try RenewRequest.parse(try Self.renewalBody(fields))
        let result = try ComposeRoutes(context: context.acting(as: session)).renew(id: id, request: request)
        let notice = result.copied ? "renewed" : "extended"
        return context.redirect(to: "/odcs/composes/\(result.compose.id)?notice=\(notice)")
    }

    func cancel(id: Int64) throws -> HTTPResponse {
        let (session, _) = try context.pageAction(fields: [])
        let plan = try ComposeRoutes(context: context.acting(as: session)).remove(id: id)
        let notice: String
        switch plan {
        case .cancel: notice = "canceled"
        case .markExpired: notice = "delete-accepted"
        }
        return context.redirect(to: "/odcs/composes/\(id)?notice=\(notice)")
    }

    /// The PATCH body a renewal form stands for: `{"seconds_to_live": N}` when the field holds a number, `{}` when it
    /// is empty (the default lifetime).
    static func renewalBody(_ fields: [String: String]) throws -> JSONObject {
        var body = JSONObject()
        let text = (fields["seconds_to_live"] ?? "").trimmingWhitespace()
        guard !text.isEmpty else { return body }
        guard text.count <= secondsToLiveDigits, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let seconds = Int64(text)
        else {
            throw APIError(
                status: 400, message: "seconds_to_live must be a whole number of seconds (at most 18 digits).")
        }
        body["seconds_to_live"] = .int(seconds)
        return body
    }
}
