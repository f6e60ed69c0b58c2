internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import KilnWeb

/// `GET /`: the state of the service at a glance, with links to everything else.
struct DashboardPage {
    let context: RequestContext

    struct StateCount: Sendable {
        var state: String
        var count: Int64
        var href: String
    }

    struct View: Sendable {
        var states: [StateCount]
        var total: Int64
    }

    func render() throws -> HTTPResponse {
        _ = try PageQuery(context.request, allowed: [])
        let counts = try context.read { c in try ComposeStore(c).countsByTypeAndState() }
        var byState: [ComposeState: Int64] = [:]
        for (_, states) in counts {
            for (state, n) in states { byState[state, default: 0] += n }
        }
        let states = ComposeState.allCases.map {
            StateCount(state: $0.name, count: byState[$0] ?? 0, href: "/odcs/composes/?state=\($0.name)")
        }
        let view = View(states: states, total: states.reduce(0) { $0 + $1.count })
        return context.page("dashboard", title: "Dashboard", section: "dashboard", view: view)
    }
}
