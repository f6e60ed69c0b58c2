import KilnCore
import Testing

/// The `meta` of every list: numbers, and links that keep the list's other query arguments.
struct PageLinksTests {
    static let query: [(name: String, value: String)] = [
        ("owner", "me"), ("page", "4"), ("tag", "a b"), ("_", "123"), ("per_page", "9"), ("tag", "c&d"),
        ("endpoint", "x"), ("_cache", "1"), ("owner", "you"), ("é", "ü"),
    ]

    @Test func repeatsAreKeptInOrderForTracking() {
        let links = PageLinks(baseURL: "http://h/cts/api/1/tags/", query: Self.query, repeats: .kept)
        #expect(
            links.arguments.map { "\($0.name)=\($0.value)" }
                == ["owner=me", "tag=a%20b", "tag=c%26d", "owner=you", "%C3%A9=%C3%BC"])
        #expect(
            links.url(page: 2, perPage: 5)
                == "http://h/cts/api/1/tags/?page=2&per_page=5&owner=me&tag=a%20b&tag=c%26d&owner=you&%C3%A9=%C3%BC")
    }

    @Test func repeatsAreDroppedForODCS() {
        let links = PageLinks(baseURL: "http://h/api/1/composes/", query: Self.query, repeats: .dropped)
        #expect(links.arguments.map { "\($0.name)=\($0.value)" } == ["owner=me", "tag=a%20b", "%C3%A9=%C3%BC"])
        #expect(
            links.url(page: 1, perPage: 10)
                == "http://h/api/1/composes/?page=1&per_page=10&owner=me&tag=a%20b&%C3%A9=%C3%BC")
    }

    @Test func metaLinksFirstLastPreviousAndNext() {
        let links = PageLinks(baseURL: "http://h/api/1/composes/", query: [("owner", "me")], repeats: .dropped)
        let meta = Page<Int>(items: [1], page: 2, perPage: 5, total: 11).meta(links: links)
        #expect(meta["page"] == 2 && meta["pages"] == 3 && meta["per_page"] == 5 && meta["total"] == 11)
        #expect(meta["first"] == "http://h/api/1/composes/?page=1&per_page=5&owner=me")
        #expect(meta["last"] == "http://h/api/1/composes/?page=3&per_page=5&owner=me")
        #expect(meta["prev"] == "http://h/api/1/composes/?page=1&per_page=5&owner=me")
        #expect(meta["next"] == "http://h/api/1/composes/?page=3&per_page=5&owner=me")
        let last = Page<Int>(items: [1], page: 3, perPage: 5, total: 11).meta(links: links)
        #expect(last["next"] == .null && last["prev"] == "http://h/api/1/composes/?page=2&per_page=5&owner=me")
        let first = Page<Int>(items: [1], page: 1, perPage: 5, total: 11).meta(links: links)
        #expect(first["prev"] == .null && first["next"] == "http://h/api/1/composes/?page=2&per_page=5&owner=me")
        let none = PageLinks(baseURL: "b", query: [], repeats: .kept)
        let empty = Page<Int>(items: [], page: 1, perPage: 0, total: 4).meta(links: none)
        #expect(empty["pages"] == 0 && empty["last"] == "b?page=0&per_page=0")
        #expect(empty["next"] == .null && empty["prev"] == .null)
    }

    /// Paging arguments are bounded the same way for every list.
    @Test func pagingArgumentsAreBounded() throws {
        #expect(try RequestInput.paging(page: "3", perPage: "5000") == (3, 1000))
        #expect(try RequestInput.paging(page: "0", perPage: "-4") == (1, 20))
        #expect(try RequestInput.paging(page: "x", perPage: "y") == (1, 10))
        #expect(throws: ComposeError.self) { try RequestInput.paging(page: "2147483648", perPage: nil) }
    }
}
