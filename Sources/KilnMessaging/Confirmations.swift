/// What the broker said about each message of a published batch, by index in the batch. Publisher confirms
/// arrive as basic.ack / basic.nack for one delivery tag, or with `multiple` for every tag up to it.
public struct Confirmations: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable { case pending, acked, nacked }

    public private(set) var outcomes: [Outcome]
    public private(set) var pendingCount: Int
    /// Every index below this one is confirmed.
    private var firstPending = 0

    public init(count: Int) {
        outcomes = Array(repeating: .pending, count: count)
        pendingCount = count
    }

    /// Indices the broker acked, ascending.
    public var acked: [Int] { outcomes.indices.filter { outcomes[$0] == .acked } }
    public var nacked: [Int] { outcomes.indices.filter { outcomes[$0] == .nacked } }

    /// Applies one confirm. A message already confirmed keeps its first outcome; indices past the batch are ignored.
    public mutating func record(_ index: Int, multiple: Bool, _ outcome: Outcome) {
        guard index >= 0, outcome != .pending else { return }
        let last = min(index, outcomes.count - 1)
        guard last >= 0 else { return }
        for i in (multiple ? min(firstPending, last) : last)...last where outcomes[i] == .pending {
            outcomes[i] = outcome
            pendingCount -= 1
        }
        while firstPending < outcomes.count && outcomes[firstPending] != .pending { firstPending += 1 }
    }
}
