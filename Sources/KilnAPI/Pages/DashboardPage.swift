internal import KilnConfiguration
internal import KilnCore
internal import KilnFastCGI
internal import KilnStore
internal import KilnWeb

/// `GET /`: the state of the service at a glance, with links to everything else.
///
/// Every read is bounded whatever the number of composes: counts come from the trigger-kept table, the queue and the
/// failures from the (state, id) index with a LIMIT, the tracked composes from index walks that stop at their LIMIT.
struct DashboardPage {
    let context: RequestContext

    /// How many rows each of the dashboard's lists shows.
    static let queueRows = 10
    static let failureRows = 10
    static let trackedRows = 12

    struct StateCount: Sendable {
        var state: String
        var count: Int64
        var href: String
    }

    struct Disk: Sendable {
        var totalBytes: Int64
        var usedBytes: Int64
        var lowWaterUsed: Int64
        var usedPercent: Int
        var free: String
        var size: String
        var lowWater: String
        var low: Bool
    }

    struct Tracked: Sendable {
        var group: String
        var groupHref: String
        var composeID: String
        var composeHref: String
        var type: String
    }

    struct View: Sendable {
        var states: [StateCount]
        var total: Int64
        var waitingCount: Int64
        var generatingCount: Int64
        var waiting: [ComposeRow]
        var hasWaiting: Bool
        var generating: [ComposeRow]
        var hasGenerating: Bool
        var disk: Disk?
        var failures: [ComposeRow]
        var hasFailures: Bool
        var products: [Tracked]
        var hasProducts: Bool
        var tags: [Tracked]
        var hasTags: Bool
    }

    func render() throws -> HTTPResponse {
        _ = try PageQuery(context.request, allowed: [])
        let configuration = context.configuration
        let read = try context.read { c in
            let store = ComposeStore(c)
            let tracking = TrackingStore(c)
            return (
                counts: try store.countsByTypeAndState(),
                waiting: try store.composes(in: .wait, limit: Self.queueRows),
                generating: try store.composes(in: .generating, limit: Self.queueRows),
                failures: try store.composes(in: .failed, newestFirst: true, limit: Self.failureRows),
                disk: try ExpiryStore.diskSpace(
                    c, targetDir: configuration.service.targetDir, quota: configuration.operations.targetDirQuota),
                products: try tracking.latestPerProduct(limit: Self.trackedRows),
                tags: try tracking.latestPerTag(limit: Self.trackedRows)
            )
        }
        var byState: [ComposeState: Int64] = [:]
        for (_, states) in read.counts {
            for (state, n) in states { byState[state, default: 0] += n }
        }
        let states = ComposeState.allCases.map {
            StateCount(state: $0.name, count: byState[$0] ?? 0, href: "/odcs/composes/?state=\($0.name)")
        }
        let products = read.products.map {
            Tracked(
                group: $0.group, groupHref: "/cts/composes/?release_short=" + percentEncode($0.group),
                composeID: $0.composeID, composeHref: "/cts/composes/" + percentEncode($0.composeID), type: $0.type)
        }
        let tags = read.tags.map {
            Tracked(
                group: $0.group, groupHref: "/cts/tags/" + percentEncode($0.group), composeID: $0.composeID,
                composeHref: "/cts/composes/" + percentEncode($0.composeID), type: $0.type)
        }
        let view = View(
            states: states, total: states.reduce(0) { $0 + $1.count },
            waitingCount: byState[.wait] ?? 0, generatingCount: byState[.generating] ?? 0,
            waiting: read.waiting.map(ComposeRow.init), hasWaiting: !read.waiting.isEmpty,
            generating: read.generating.map(ComposeRow.init), hasGenerating: !read.generating.isEmpty,
            disk: read.disk.map { Self.disk($0, lowWater: configuration.operations.diskLowWater) },
            failures: read.failures.map(ComposeRow.init), hasFailures: !read.failures.isEmpty,
            products: products, hasProducts: !products.isEmpty, tags: tags, hasTags: !tags.isEmpty)
        return context.page("dashboard", title: "Dashboard", section: "dashboard", view: view)
    }

    static func disk(_ space: DiskSpace, lowWater: DiskSpace.Mark) -> Disk {
        let total = max(space.totalBytes, 0)
        let used = min(max(total - space.freeBytes, 0), total)
        let mark = lowWater.bytes(of: total)
        return Disk(
            totalBytes: total, usedBytes: used, lowWaterUsed: max(total - mark, 0),
            usedPercent: total == 0 ? 0 : Int((Double(used) * 100 / Double(total)).rounded()),
            free: DiskSpace.format(space.freeBytes), size: DiskSpace.format(total),
            lowWater: "\(lowWater) (\(DiskSpace.format(mark)) free)", low: space.isBelow(lowWater))
    }
}
