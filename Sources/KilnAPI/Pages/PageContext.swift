internal import KilnCore
internal import KilnFastCGI
internal import KilnPlatform
internal import KilnWeb

/// What page handlers share: the signed-in session, rendering into the frame, form bodies, the checks every action
/// passes, and redirects.
extension RequestContext {
    /// The page session the request's cookie holds, when it is valid (signed with this site's key, not ended).
    var pageSession: PageSession? {
        guard let key = pageKey, let cookie = request.headers["cookie"] else { return nil }
        for part in cookie.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, String(pair[0]).trimmingWhitespace() == PageSession.cookieName else { continue }
            return PageSession.verify(
                String(pair[1]).trimmingWhitespace(), key: key, now: Platform.epochSeconds())
        }
        return nil
    }

    /// The frame of a page in `section` (one of PageLayout.sections' names) titled `title`.
    func layout(title: String, section: String, session: PageSession? = nil) -> PageLayout {
        let session = session ?? pageSession
        let csrf = session.flatMap { s in pageKey.map { s.csrfToken(key: $0) } }
        let path = request.path + (request.query.isEmpty ? "" : "?" + request.query)
        return PageLayout(title: title, section: section, path: path, identity: session?.identity, csrf: csrf)
    }

    /// `template` rendered in the frame. Pages are never stored by shared caches and never framed by other sites;
    /// scripts, styles and images come from this site only (no inline script: data a script needs is embedded as
    /// `<script type="application/json">`).
    ///
    /// `splice` is HTML rendered earlier (a large page part that never changes, such as the API documentation): it
    /// replaces the template's `<!--kiln:splice-->` comment, which is quicker than passing it through the template.
    func page(
        _ template: String, title: String, section: String, view: any Sendable, status: Int = 200,
        headers: [(name: String, value: String)] = [], splice: String? = nil
    ) -> HTTPResponse {
        let model = PageModel(layout: layout(title: title, section: section), view: view)
        var html = PageRenderer.shared.render(template, model)
        if let splice, let marker = html.firstRange(of: "<!--kiln:splice-->") {
            html.replaceSubrange(marker, with: splice)
        }
        return HTTPResponse(status: status, headers: Self.pageHeaders + headers, body: Array(html.utf8))
    }

    static let pageHeaders: [(name: String, value: String)] = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-cache, private"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        (
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
    ]

    /// A `303 See Other` to a path on this site.
    func redirect(to path: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: 303, headers: [("Location", Self.localPath(path) ?? "/")] + headers)
    }

    /// `path` when it is a path on this site (starts with one `/`, no backslash, no control characters, within
    /// 2,000 bytes); nil otherwise, so that no redirect leaves the site.
    static func localPath(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), path.utf8.count <= 2000,
            !path.contains("\\"), !RequestInput.hasControlCharacter(path)
        else { return nil }
        return path
    }

    /// The fields of an `application/x-www-form-urlencoded` body. Each name once; only `allowed` names.
    func formFields(allowed: Set<String>) throws -> [String: String] {
        var fields: [String: String] = [:]
        let body = String(decoding: request.body, as: UTF8.self)
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(parts[0])
            let value = parts.count > 1 ? percentDecode(parts[1]) : ""
            guard allowed.contains(name) else {
                throw APIError(status: 400, message: "Unknown form field \"\(percentEncode(name))\".")
            }
            guard fields[name] == nil else {
                throw APIError(status: 400, message: "Form field \"\(name)\" is given more than once.")
            }
            guard !RequestInput.hasControlCharacter(value) else {
                throw APIError(status: 400, message: "Form field \"\(name)\" contains a control character.")
            }
            fields[name] = value
        }
        return fields
    }

    /// The request came from one of this site's own pages: its Origin (when the browser sends one) is this site, and
    /// Sec-Fetch-Site (when sent) is not cross-site.
    func requireSameOrigin() throws {
        // An opaque origin ("null": a sandboxed frame, a data: URL) is another site too.
        if let origin = request.headers["origin"], origin != externalOrigin {
            throw APIError(status: 403, message: "The form was sent from another site (\(origin)).")
        }
        if let site = request.headers["sec-fetch-site"], site != "same-origin", site != "none" {
            throw APIError(status: 403, message: "The form was sent from another site.")
        }
    }

    /// What an action from a page needs: a signed-in session, a form from this site, and the session's CSRF token
    /// in the `csrf` field. Returns the session and the form's fields (`csrf` removed).
    func pageAction(fields allowed: Set<String>) throws -> (session: PageSession, fields: [String: String]) {
        guard let key = pageKey else {
            throw APIError(status: 503, message: "Signing in to the pages is not configured on this site.")
        }
        guard let session = pageSession else {
            throw APIError(status: 401, message: "Sign in to do this.")
        }
        try requireSameOrigin()
        var fields = try formFields(allowed: allowed.union(["csrf"]))
        guard session.isValidCSRF(fields.removeValue(forKey: "csrf"), key: key) else {
            throw APIError(
                status: 403, message: "The form's security token is missing or stale: reload the page and try again.")
        }
        return (session, fields)
    }

    /// This context acting for the signed-in person of a page action, so that the API's handlers (renew, cancel,
    /// tag) apply their permissions to that person.
    func acting(as session: PageSession) -> RequestContext {
        var c = self
        c.callerOverride = .user(session.identity)
        return c
    }
}
