/// The life of a compose, with ODCS's numeric values.
public enum ComposeState: Int, Sendable, CaseIterable {
    case wait = 0
    case generating = 1
    case done = 2
    case removed = 3
    case failed = 4

    public var name: String {
        switch self {
        case .wait: "wait"
        case .generating: "generating"
        case .done: "done"
        case .removed: "removed"
        case .failed: "failed"
        }
    }

    public init?(name: String) {
        guard let state = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = state
    }

    /// Accepts a number ("2") or a name ("done"), as the list filter does.
    public init?(numberOrName text: String) {
        if let n = Int(text), let state = ComposeState(rawValue: n) {
            self = state
        } else if let state = ComposeState(name: text) {
            self = state
        } else {
            return nil
        }
    }
}
