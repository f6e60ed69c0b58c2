internal import CSolv

/// An owned libsolv `Queue` (a growable array of ids): `queue_init` on creation, `queue_free` in `deinit`.
/// Internal to the module; pass `&queue.raw` to libsolv calls that take a `Queue *`.
struct SolvQueue: ~Copyable {
    var raw = Queue()

    init() { queue_init(&raw) }

    init(_ ids: some Sequence<Id>) {
        queue_init(&raw)
        for id in ids { queue_push(&raw, id) }
    }

    deinit {
        var storage = raw
        queue_free(&storage)
    }

    mutating func push(_ id: Id) { queue_push(&raw, id) }

    mutating func removeAll() { queue_empty(&raw) }

    var count: Int { Int(raw.count) }

    var ids: [Id] {
        guard raw.count > 0, let elements = raw.elements else { return [] }
        return Array(UnsafeBufferPointer(start: elements, count: Int(raw.count)))
    }
}
