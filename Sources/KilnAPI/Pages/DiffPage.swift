internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import KilnWeb

/// `GET /diff/?from=<id>&to=<id>`: what changed from one compose to another, by variant and arch (the diff the
/// tracking API serves at `/cts/api/1/composes/<a>/diff/<b>`). Either side is an ODCS compose id (its RPM list is the
/// one Kiln recorded when it was done) or a tracked compose id. Without arguments, the form picking two.
struct DiffPage {
    let context: RequestContext

    func render() throws -> HTTPResponse {
        let query = try PageQuery(context.request, allowed: ["from", "to"])
        let fromText = query["from"] ?? ""
        let toText = query["to"] ?? ""
        if fromText.isEmpty, toText.isEmpty {
            return page(DiffView(fromValue: "", toValue: ""))
        }
        var invalid: [String] = []
        var targets: [DiffTarget] = []
        for (field, text) in [("from", fromText), ("to", toText)] {
            do {
                targets.append(try DiffTarget.parse(text, field: field))
            } catch {
                invalid.append(error.message)
            }
        }
        guard invalid.isEmpty else { throw APIError(status: 400, message: invalid.joined(separator: " ")) }
        let (from, to) = (targets[0], targets[1])
        let view = try context.read { c -> DiffView in
            var missing: [String] = []
            var problems: [String] = []
            var sides: [TrackedCompose] = []
            for target in [from, to] {
                switch try Self.resolve(target, c) {
                case .unknown: missing.append(target.label)
                case .noContents(let why): problems.append(why)
                case .found(let compose): sides.append(compose)
                }
            }
            guard missing.isEmpty else {
                throw ComposeError.notFound("No such compose: \(missing.joined(separator: ", ")).")
            }
            guard problems.isEmpty else {
                return DiffView(fromValue: fromText, toValue: toText, problems: problems)
            }
            let diff = try ComposeContentsStore(c).diff(from: sides[0], to: sides[1])
            return DiffView(
                fromValue: fromText, toValue: toText, comparison: DiffView.comparison(from: from, to: to, diff: diff))
        }
        return page(view)
    }

    func page(_ view: DiffView) -> HTTPResponse {
        context.page("diff", title: "Compare composes", section: "diff", view: view)
    }

    enum Resolution {
        case unknown
        case noContents(String)
        case found(TrackedCompose)
    }

    /// The tracked compose whose RPM list stands for `target`.
    static func resolve(_ target: DiffTarget, _ c: PGConnection) throws -> Resolution {
        let tracking = TrackingStore(c)
        let compose: TrackedCompose
        switch target {
        case .odcs(let id):
            guard let odcs = try ComposeStore(c).get(id: id) else { return .unknown }
            guard let tracked = try tracking.compose(odcsComposeID: id) else {
                return .noContents(
                    "ODCS compose \(id) has no RPM list: it is \(odcs.state.name), and Kiln records a compose's RPMs "
                        + "when it is done.")
            }
            compose = tracked
        case .tracked(let id):
            guard let tracked = try tracking.compose(id: id) else { return .unknown }
            compose = tracked
        }
        guard try ComposeContentsStore(c).hasContents(key: compose.key) else {
            return .noContents("\(target.label) has no RPM list recorded.")
        }
        return .found(compose)
    }
}
