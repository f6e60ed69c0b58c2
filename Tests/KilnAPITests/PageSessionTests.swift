import KilnCore
import Testing

@testable import KilnAPI

@Suite struct PageSessionTests {
    let key = [UInt8](repeating: 7, count: 32)
    let otherKey = [UInt8](repeating: 8, count: 32)

    @Test func aCookieRoundTripsUnderItsKeyOnly() throws {
        let session = PageSession.start(user: "alice", groups: ["releng"], now: 1000, lifetime: 60)
        let cookie = session.cookieValue(key: key)
        #expect(PageSession.verify(cookie, key: key, now: 1059) == session)
        #expect(PageSession.verify(cookie, key: otherKey, now: 1059) == nil)
        #expect(PageSession.verify(cookie, key: key, now: 1060) == nil, "ended")
        #expect(session.identity == Identity(username: "alice", groups: ["releng"], method: .session))
    }

    @Test func aTamperedCookieIsRefused() throws {
        let cookie = PageSession.start(user: "alice", groups: [], now: 0, lifetime: 60).cookieValue(key: key)
        let parts = cookie.split(separator: ".").map(String.init)
        // Another user's payload under alice's signature.
        let forged = PageSession(user: "admin", groups: ["kiln-admins"], expires: 60, nonce: "n")
        let forgedPayload = forged.cookieValue(key: key).split(separator: ".")[0]
        #expect(PageSession.verify(forgedPayload + "." + parts[1], key: key, now: 1) == nil)
        #expect(PageSession.verify(parts[0], key: key, now: 1) == nil)
        #expect(PageSession.verify(cookie + "x", key: key, now: 1) == nil)
        #expect(PageSession.verify("", key: key, now: 1) == nil)
    }

    @Test func theCSRFTokenBelongsToOneSession() {
        let a = PageSession.start(user: "alice", groups: [], now: 0, lifetime: 60)
        let b = PageSession.start(user: "alice", groups: [], now: 0, lifetime: 60)
        #expect(a.isValidCSRF(a.csrfToken(key: key), key: key))
        #expect(!a.isValidCSRF(b.csrfToken(key: key), key: key))
        #expect(!a.isValidCSRF(a.csrfToken(key: otherKey), key: key))
        #expect(!a.isValidCSRF(nil, key: key))
        #expect(!a.isValidCSRF("", key: key))
    }

    @Test func namesAreLimitedToIdentityCharacters() {
        #expect(PageSession.isValidName("alice.b_c-d@x"))
        #expect(!PageSession.isValidName(""))
        #expect(!PageSession.isValidName("a b"))
        #expect(!PageSession.isValidName("<x>"))
        #expect(!PageSession.isValidName(String(repeating: "a", count: 65)))
    }

    @Test func onlyLocalPathsAreRedirectTargets() {
        #expect(RequestContext.localPath("/odcs/composes/?state=done") == "/odcs/composes/?state=done")
        #expect(RequestContext.localPath("//evil.example/") == nil)
        #expect(RequestContext.localPath("https://evil.example/") == nil)
        #expect(RequestContext.localPath("/\\evil.example") == nil)
        #expect(RequestContext.localPath("/a\nb") == nil)
        #expect(RequestContext.localPath(nil) == nil)
    }
}
