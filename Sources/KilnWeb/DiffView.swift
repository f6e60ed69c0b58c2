public import KilnCore

/// One side of a comparison as the diff form names it: an ODCS compose (its number) or a tracked compose (its
/// productmd id).
public enum DiffTarget: Sendable, Equatable {
    case odcs(Int64)
    case tracked(String)

    /// Longest compose id the form takes.
    public static let maximumLength = 255

    /// `text` (the `from` or `to` argument, named `field` in errors): digits are an ODCS compose id, anything else a
    /// tracked compose id. Empty, over-long or control-character text is refused.
    public static func parse(_ text: String, field: String) throws(ComposeError) -> DiffTarget {
        let value = text.trimmingWhitespace()
        guard !value.isEmpty else { throw .invalid("\"\(field)\" is required: an ODCS compose id or a compose id.") }
        guard value.utf8.count <= maximumLength, !RequestInput.hasControlCharacter(value) else {
            throw .invalid(
                "Invalid value for \"\(field)\": a compose id is at most \(maximumLength) bytes of printable text.")
        }
        if value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard value.utf8.count <= 18, let n = Int64(value), n >= 1 else {
                throw .invalid("Invalid value for \"\(field)\": \(value) is no ODCS compose id.")
            }
            return .odcs(n)
        }
        return .tracked(value)
    }

    /// How the page names it: `ODCS compose 12` or the compose id.
    public var label: String {
        switch self {
        case .odcs(let n): "ODCS compose \(n)"
        case .tracked(let id): id
        }
    }

    /// The page that shows it.
    public var href: String {
        switch self {
        case .odcs(let n): "/odcs/composes/\(n)"
        case .tracked(let id): TrackedLinks.compose(id)
        }
    }
}

/// `/diff/`: the form picking two composes and, once both are given, what changed from one to the other.
public struct DiffView: Sendable {
    public struct Change: Sendable, Equatable {
        public var name: String
        public var from: String
        public var to: String
    }

    /// The changes within one variant and arch.
    public struct Group: Sendable, Equatable {
        public var variant: String
        public var arch: String
        public var added: [String]
        public var removed: [String]
        public var upgraded: [Change]
        public var downgraded: [Change]
        public var addedCount: Int
        public var removedCount: Int
        public var upgradedCount: Int
        public var downgradedCount: Int
        public var total: Int
        public var hasAdded: Bool
        public var hasRemoved: Bool
        public var hasUpgraded: Bool
        public var hasDowngraded: Bool
        /// Entries of this group the page leaves out (over `entriesShown` of a kind); the JSON has them.
        public var notShown: Int
        public var truncated: Bool
    }

    /// A comparison's outcome: the groups and the totals.
    public struct Comparison: Sendable, Equatable {
        public var fromLink: LinkView
        public var toLink: LinkView
        /// The compose ids the diff is of (an ODCS compose's tracking record).
        public var fromID: String
        public var toID: String
        public var groups: [Group]
        public var hasGroups: Bool
        public var added: Int
        public var removed: Int
        public var upgraded: Int
        public var downgraded: Int
        public var unchanged: Int
        public var changed: Int
        public var apiHref: String
        public var reverseHref: String
    }

    public var fromValue: String
    public var toValue: String
    public var comparison: Comparison?
    /// Why there is no comparison although both composes exist (one has no RPM list), one sentence each.
    public var problems: [String]
    public var hasProblems: Bool

    /// Entries of one kind (added, removed, ...) a group lists at most.
    public static let entriesShown = 500

    public init(fromValue: String, toValue: String, comparison: Comparison? = nil, problems: [String] = []) {
        self.fromValue = fromValue
        self.toValue = toValue
        self.comparison = comparison
        self.problems = problems
        hasProblems = !problems.isEmpty
    }

    /// The comparison of `diff`, the diff of `from`'s and `to`'s RPM lists.
    public static func comparison(from: DiffTarget, to: DiffTarget, diff: ComposeDiff) -> Comparison {
        var totals = (added: 0, removed: 0, upgraded: 0, downgraded: 0)
        let groups = diff.trees.map { tree -> Group in
            totals.added += tree.added.count
            totals.removed += tree.removed.count
            totals.upgraded += tree.upgraded.count
            totals.downgraded += tree.downgraded.count
            func change(_ c: ComposeDiff.Change) -> Change {
                Change(name: c.to.name, from: c.from.description, to: c.to.description)
            }
            let n = entriesShown
            let total = tree.added.count + tree.removed.count + tree.upgraded.count + tree.downgraded.count
            let shown =
                min(tree.added.count, n) + min(tree.removed.count, n) + min(tree.upgraded.count, n)
                + min(tree.downgraded.count, n)
            return Group(
                variant: tree.variant, arch: tree.arch, added: tree.added.prefix(n).map(\.description),
                removed: tree.removed.prefix(n).map(\.description), upgraded: tree.upgraded.prefix(n).map(change),
                downgraded: tree.downgraded.prefix(n).map(change), addedCount: tree.added.count,
                removedCount: tree.removed.count, upgradedCount: tree.upgraded.count,
                downgradedCount: tree.downgraded.count, total: total, hasAdded: !tree.added.isEmpty,
                hasRemoved: !tree.removed.isEmpty, hasUpgraded: !tree.upgraded.isEmpty,
                hasDowngraded: !tree.downgraded.isEmpty, notShown: total - shown, truncated: total > shown)
        }
        return Comparison(
            fromLink: LinkView(text: from.label, href: from.href), toLink: LinkView(text: to.label, href: to.href),
            fromID: diff.from, toID: diff.to, groups: groups, hasGroups: !groups.isEmpty, added: totals.added,
            removed: totals.removed, upgraded: totals.upgraded, downgraded: totals.downgraded,
            unchanged: diff.unchanged,
            changed: totals.added + totals.removed + totals.upgraded + totals.downgraded,
            apiHref: TrackedLinks.apiCompose(diff.from) + "/diff/" + percentEncode(diff.to),
            reverseHref: "/diff/?from=" + percentEncode(to.formValue) + "&to=" + percentEncode(from.formValue))
    }
}

extension DiffTarget {
    /// What the form's field holds for it.
    public var formValue: String {
        switch self {
        case .odcs(let n): String(n)
        case .tracked(let id): id
        }
    }
}
