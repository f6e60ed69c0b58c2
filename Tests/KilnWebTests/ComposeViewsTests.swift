import KilnCore
import Testing

@testable import KilnWeb

@Suite struct ComposeViewsTests {
    @Test func thePagerKeepsTheQueryAndStopsAtTheEnds() {
        let links = PageLinks(
            baseURL: "/odcs/composes/", query: [("state", "done"), ("page", "2"), ("owner", "a b"), ("state", "x")],
            repeats: .dropped)
        let middle = Pager(links: links, page: 2, perPage: 10, total: 35)
        #expect(middle.pages == 4)
        #expect(middle.first == "/odcs/composes/?page=1&per_page=10&state=done&owner=a%20b")
        #expect(middle.prev == "/odcs/composes/?page=1&per_page=10&state=done&owner=a%20b")
        #expect(middle.next == "/odcs/composes/?page=3&per_page=10&state=done&owner=a%20b")
        #expect(middle.last == "/odcs/composes/?page=4&per_page=10&state=done&owner=a%20b")
        let first = Pager(links: links, page: 1, perPage: 10, total: 35)
        #expect(!first.hasPrev && first.hasNext)
        let last = Pager(links: links, page: 4, perPage: 10, total: 35)
        #expect(last.hasPrev && !last.hasNext)
        // Past the end: the previous link goes to the last page; an empty list has one page to go to.
        let beyond = Pager(links: links, page: 9, perPage: 10, total: 35)
        #expect(beyond.prev == "/odcs/composes/?page=4&per_page=10&state=done&owner=a%20b")
        let empty = Pager(links: links, page: 1, perPage: 10, total: 0)
        #expect(!empty.hasPrev && !empty.hasNext && empty.last.hasPrefix("/odcs/composes/?page=1&"))
    }

    @Test func progressIsCountedOnlyWhenThePhaseHasSteps() {
        let counted = PhaseProgress(Compose.Progress(phase: "downloading packages", done: 12, total: 40))
        #expect(counted.counted && counted.steps == "12 of 40")
        let clamped = PhaseProgress(Compose.Progress(phase: "x", done: 50, total: 40))
        #expect(clamped.done == 40)
        let open = PhaseProgress(Compose.Progress(phase: "resolving modules", done: 0, total: 0))
        #expect(!open.counted && open.steps == "")
        #expect(PhaseProgress(nil).phase == "queued")
    }

    @Test func fieldsShowScalarsListsAndObjects() {
        let object = JSONObject([
            ("flags", .array([.string("no_reuse"), .string("no_deps")])), ("id", .int(7)), ("label", .null),
            ("progress", ["phase": "done", "total": 1]), ("source", .string("")), ("results", .array([])),
        ])
        let rows = FieldRow.rows(object)
        #expect(rows.map(\.name) == ["flags", "id", "label", "progress", "source", "results"])
        #expect(rows[0].isList && rows[0].items == ["no_reuse", "no_deps"])
        #expect(rows[1].value == "7" && !rows[1].empty)
        #expect(rows[2].empty && rows[4].empty && rows[5].empty)
        #expect(rows[3].items == ["phase: done", "total: 1"])
    }

    @Test func textIsShortenedAndLogTailsStartAtALine() {
        #expect(PageText.shortened("abcdef", to: 4) == "abc…")
        #expect(PageText.shortened("abc", to: 4) == "abc")
        #expect(PageText.firstLine("\nfirst\nsecond") == "first")
        #expect(PageText.logTail(Array("partial\nwhole line\n".utf8), fromStart: false) == "whole line\n")
        #expect(PageText.logTail(Array("first\nsecond".utf8), fromStart: true) == "first\nsecond")
        #expect(PageText.logTail([0x61, 0xFF, 0x62], fromStart: true) == "a\u{FFFD}b")
    }

    @Test func aComposeRowLinksToItsPage() {
        var compose = Compose(
            id: 42, owner: "alice", sourceType: .tag, source: String(repeating: "s", count: 100), state: .failed,
            timeToExpire: Timestamp(secondsSinceEpoch: 86_400), timeSubmitted: Timestamp(secondsSinceEpoch: 0))
        compose.stateReason = "Koji is unreachable\ndetails"
        let row = ComposeRow(compose)
        #expect(row.href == "/odcs/composes/42")
        #expect(row.source.count == 80 && row.sourceFull.count == 100)
        #expect(row.reason == "Koji is unreachable")
        #expect(row.submitted == "1970-01-01T00:00:00Z" && row.expires == "1970-01-02T00:00:00Z")
        #expect(row.sourceType == "tag" && row.state == "failed")
    }
}
