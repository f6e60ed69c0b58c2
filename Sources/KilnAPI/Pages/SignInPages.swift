internal import KilnConfiguration
internal import KilnCore
internal import KilnFastCGI
internal import KilnPlatform
internal import Logging

/// Signing in to the pages and out again.
///
/// * `GET /signin`: on a site with `dev_sign_in` a form for any user and groups (posted to `/signin/dev`);
///   elsewhere a link to `/login`.
/// * `GET /login`: httpd's mod_auth_openidc runs the identity provider's login flow before this URL reaches
///   kiln-api; the identity it passes becomes the page session.
/// * `POST /signout`: ends the session.
struct SignInPages {
    let context: RequestContext

    struct SignInView: Sendable {
        var devSignIn: Bool
        var returnTo: String
        var loginHref: String
        var user: String
        var groups: String
    }

    func signInForm() throws -> HTTPResponse {
        let query = try PageQuery(context.request, allowed: ["return_to"])
        let returnTo = RequestContext.localPath(query["return_to"]) ?? "/"
        let view = SignInView(
            devSignIn: context.configuration.devSignIn, returnTo: returnTo,
            loginHref: "/login?return_to=" + percentEncode(returnTo), user: "", groups: "")
        return context.page("signin", title: "Sign in", section: "", view: view)
    }

    /// `POST /signin/dev`: user, groups (comma-separated), return_to.
    func devSignIn() throws -> HTTPResponse {
        guard context.configuration.devSignIn else {
            throw APIError(status: 404, message: "The development sign-in is not enabled on this site.")
        }
        try context.requireSameOrigin()
        let fields = try context.formFields(allowed: ["user", "groups", "return_to"])
        let user = (fields["user"] ?? "").trimmingWhitespace()
        guard PageSession.isValidName(user) else {
            throw APIError(
                status: 400, message: "A user name is 1 to 64 letters, digits, '.', '_', '-' or '@'.")
        }
        let groups = try Self.groups(fields["groups"] ?? "")
        context.logger.notice(
            "development sign-in",
            metadata: ["kiln.user": "\(user)", "kiln.groups": "\(groups.joined(separator: ","))"])
        return try startSession(user: user, groups: groups, returnTo: fields["return_to"])
    }

    static func groups(_ text: String) throws -> [String] {
        let groups = text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        guard groups.count <= PageSession.groupLimit, groups.allSatisfy(PageSession.isValidName) else {
            throw APIError(
                status: 400,
                message: "Groups are at most \(PageSession.groupLimit) names of 1 to 64 letters, digits, '.', '_', "
                    + "'-' or '@', separated by commas.")
        }
        return groups
    }

    /// `GET /login`: the identity httpd established (the site's OIDC login) becomes the page session.
    func login() throws -> HTTPResponse {
        let query = try PageQuery(context.request, allowed: ["return_to"])
        guard
            case .user(let identity) = Caller.from(variables: context.request.variables, configuration: context.service)
        else {
            throw APIError(
                status: 401,
                message: "The site's login did not establish who you are: /login must be protected by the identity "
                    + "provider's login in httpd.")
        }
        guard PageSession.isValidName(identity.username) else {
            throw APIError(status: 403, message: "This user name cannot sign in to the pages.")
        }
        let groups = identity.groups.filter(PageSession.isValidName).prefix(PageSession.groupLimit)
        context.logger.info("page sign-in", metadata: ["kiln.user": "\(identity.username)"])
        return try startSession(user: identity.username, groups: Array(groups), returnTo: query["return_to"])
    }

    func signOut() throws -> HTTPResponse {
        _ = try context.pageAction(fields: [])
        return context.redirect(to: "/", headers: [("Set-Cookie", cookie(value: "", maxAge: 0))])
    }

    private func startSession(user: String, groups: [String], returnTo: String?) throws -> HTTPResponse {
        guard let key = context.pageKey else {
            throw APIError(status: 503, message: "Signing in to the pages is not configured on this site.")
        }
        let lifetime = context.configuration.pageSessionLifetime
        let session = PageSession.start(user: user, groups: groups, now: Platform.epochSeconds(), lifetime: lifetime)
        return context.redirect(
            to: RequestContext.localPath(returnTo) ?? "/",
            headers: [("Set-Cookie", cookie(value: session.cookieValue(key: key), maxAge: lifetime))])
    }

    private func cookie(value: String, maxAge: Int64) -> String {
        let secure = context.externalOrigin.hasPrefix("https://") ? "; Secure" : ""
        return "\(PageSession.cookieName)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(secure)"
    }
}
