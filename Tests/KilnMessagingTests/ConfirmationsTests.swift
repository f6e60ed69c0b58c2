import Testing

@testable import KilnMessaging

/// basic.ack / basic.nack bookkeeping for one published batch.
@Suite struct ConfirmationsTests {
    @Test func singleAcksConfirmOneMessageEach() {
        var c = Confirmations(count: 3)
        c.record(1, multiple: false, .acked)
        #expect(c.outcomes == [.pending, .acked, .pending])
        #expect(c.pendingCount == 2)
        c.record(0, multiple: false, .acked)
        c.record(2, multiple: false, .acked)
        #expect(c.acked == [0, 1, 2])
        #expect(c.pendingCount == 0)
    }

    @Test func multipleAckConfirmsEverythingUpToTheTag() {
        var c = Confirmations(count: 5)
        c.record(3, multiple: true, .acked)
        #expect(c.outcomes == [.acked, .acked, .acked, .acked, .pending])
        #expect(c.pendingCount == 1)
    }

    @Test func aNackInTheMiddleLeavesOthersAlone() {
        var c = Confirmations(count: 5)
        c.record(1, multiple: true, .acked)
        c.record(2, multiple: false, .nacked)
        c.record(4, multiple: true, .acked)
        #expect(c.outcomes == [.acked, .acked, .nacked, .acked, .acked])
        #expect(c.acked == [0, 1, 3, 4])
        #expect(c.nacked == [2])
    }

    @Test func firstOutcomeWinsAndStrayTagsAreIgnored() {
        var c = Confirmations(count: 2)
        c.record(0, multiple: false, .nacked)
        c.record(1, multiple: true, .acked)
        #expect(c.outcomes == [.nacked, .acked])
        c.record(9, multiple: true, .nacked)
        c.record(-1, multiple: false, .acked)
        #expect(c.outcomes == [.nacked, .acked])
        #expect(c.pendingCount == 0)
    }

    @Test func emptyBatchHasNothingPending() {
        var c = Confirmations(count: 0)
        c.record(0, multiple: true, .acked)
        #expect(c.pendingCount == 0)
        #expect(c.outcomes.isEmpty)
    }
}
