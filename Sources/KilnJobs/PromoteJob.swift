public import KilnConfiguration
public import KilnCore
public import KilnStore
public import Logging

/// `kiln promote`: runs the configured `promotion_rules`. Each due rule, in its own transaction with its
/// `cts_promotion_runs` row locked, finds the newest eligible compose of its release and tags it (a `tagged`
/// change by `kiln-promote` and a `compose-tagged` message); an `exclusive` rule also takes the tag off the
/// release's other composes. A rule whose newest compose already has the tag changes nothing.
public struct PromoteJob: Sendable {
    public let configuration: KilnConfiguration
    public let logger: Logger

    public init(configuration: KilnConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public struct Options: Sendable {
        public var dryRun: Bool
        /// Run rules that are not due yet.
        public var force: Bool
        /// Only these rules (all when empty).
        public var rules: [String]
        public init(dryRun: Bool = false, force: Bool = false, rules: [String] = []) {
            self.dryRun = dryRun
            self.force = force
            self.rules = rules
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// Ran less than `min_interval` ago: due in this many seconds.
        case notDue(inSeconds: Int64)
        /// No compose of the release qualifies.
        case noCandidate
        /// The newest eligible compose already carries the tag.
        case unchanged(composeID: String, untagged: [String])
        case promoted(composeID: String, untagged: [String])
        case failed(String)
    }

    public struct Report: Sendable {
        public var results: [(rule: String, tag: String, outcome: Outcome)] = []
        public var failed: Bool { results.contains { if case .failed = $0.outcome { true } else { false } } }
    }

    public struct UnknownRule: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "no promotion rule named \(name) in promotion_rules" }
    }

    @available(*, noasync, message: "blocks")
    public func run(_ options: Options = Options()) throws -> Report {
        let c = try PGConnection.connect(configuration.databaseURL)
        defer { c.close() }
        return try run(options, on: c)
    }

    @available(*, noasync, message: "blocks")
    public func run(_ options: Options, on c: PGConnection) throws -> Report {
        let all = configuration.tracking.promotionRules
        for name in options.rules where !all.contains(where: { $0.name == name }) { throw UnknownRule(name: name) }
        let rules = options.rules.isEmpty ? all : all.filter { options.rules.contains($0.name) }
        var report = Report()
        for rule in rules {
            let outcome: Outcome
            do {
                outcome = try c.withTransaction { t in try run(rule, on: t, options: options) }
            } catch let failure as RuleFailure {
                outcome = .failed(failure.message)
            } catch {
                outcome = .failed("\(error)")
            }
            switch outcome {
            case .promoted(let id, let untagged):
                logger.info(
                    "compose promoted",
                    metadata: [
                        "kiln.promotion.rule": "\(rule.name)", "kiln.cts.tag": "\(rule.tag)",
                        "kiln.cts.compose_id": "\(id)",
                        "kiln.cts.untagged": "\(untagged)",
                    ])
            case .failed(let why):
                logger.error(
                    "promotion rule failed", metadata: ["kiln.promotion.rule": "\(rule.name)", "kiln.reason": "\(why)"])
            default:
                logger.debug(
                    "promotion rule ran",
                    metadata: ["kiln.promotion.rule": "\(rule.name)", "kiln.promotion.outcome": "\(outcome)"])
            }
            report.results.append((rule.name, rule.tag, outcome))
        }
        return report
    }

    struct RuleFailure: Error { var message: String }

    @available(*, noasync, message: "blocks")
    func run(_ rule: PromotionRule, on t: PGConnection, options: Options) throws -> Outcome {
        let store = TrackingStore(t)
        let (lastRun, now) = try store.promotionRun(rule: rule.name, lock: !options.dryRun)
        if !options.force, !rule.isDue(lastRun: lastRun, now: now), let lastRun {
            return .notDue(inSeconds: lastRun.secondsSinceEpoch + rule.minIntervalSeconds - now.secondsSinceEpoch)
        }
        guard let tag = try store.tags.tag(named: rule.tag) else {
            throw RuleFailure(message: "tag \(rule.tag) does not exist")
        }
        for name in rule.requiredTags + rule.excludedTags where try store.tags.tag(named: name) == nil {
            throw RuleFailure(message: "tag \(name) (in required_tags or excluded_tags) does not exist")
        }
        let candidate = try store.list(rule.candidateQuery).items.first
        var holders: [String] = []
        if rule.exclusive, candidate != nil {
            var page = 1
            while true {
                let batch = try store.list(rule.holdersQuery(page: page))
                holders += batch.items.map(\.composeID)
                if batch.items.isEmpty || page * batch.perPage >= batch.total { break }
                page += 1
            }
        }
        let plan = rule.plan(candidate: candidate, holders: holders)
        // Nothing eligible: not counted as a run, so the rule looks again at the next `kiln promote`.
        guard let candidate else { return .noCandidate }
        if !options.dryRun {
            let note = "Promotion rule \"\(rule.name)\"."
            if plan.tag != nil {
                _ = try store.tags.apply(.tagger, tag: tag, to: candidate, user: TrackingStore.promoter, userData: note)
            }
            for id in plan.untag {
                guard let other = try store.compose(id: id) else { continue }
                _ = try store.tags.apply(.untagger, tag: tag, to: other, user: TrackingStore.promoter, userData: note)
            }
            try store.recordPromotionRun(rule: rule.name, composeID: candidate.composeID)
        }
        return plan.tag != nil
            ? .promoted(composeID: candidate.composeID, untagged: plan.untag)
            : .unchanged(composeID: candidate.composeID, untagged: plan.untag)
    }
}
