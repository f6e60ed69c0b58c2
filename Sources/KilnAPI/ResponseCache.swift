internal import Synchronization

/// Rendered list pages, each tagged with the store's change counter it was read at. A hit needs the counter to be
/// unchanged, which the handler reads in a fresh snapshot first, so a cached page is always exactly what a new
/// query would return.
public final class ResponseCache: Sendable {
    struct Entry {
        var version: Int64
        var body: [UInt8]
    }
    // Shared by every worker thread, always under the mutex.
    private let entries = Mutex<[String: Entry]>([:])
    let capacity: Int
    let maximumBodyBytes: Int

    public init(capacity: Int = 128, maximumBodyBytes: Int = 256 << 10) {
        self.capacity = capacity
        self.maximumBodyBytes = maximumBodyBytes
    }

    func body(for key: String, version: Int64) -> [UInt8]? {
        entries.withLock { e in
            guard let entry = e[key] else { return nil }
            return entry.version == version ? entry.body : nil
        }
    }

    /// The keys held and their versions (for inspection).
    var versions: [String: Int64] { entries.withLock { e in e.mapValues(\.version) } }

    func store(_ body: [UInt8], for key: String, version: Int64) {
        guard body.count <= maximumBodyBytes else { return }
        entries.withLock { e in
            if e.count >= capacity, e[key] == nil {
                // Entries older than this version can never hit again; drop them first, else everything.
                e = e.filter { $0.value.version >= version }
                if e.count >= capacity { e.removeAll(keepingCapacity: true) }
            }
            e[key] = Entry(version: version, body: body)
        }
    }
}
