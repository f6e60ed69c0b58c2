internal import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// Blocking work on OS threads, for the jobs and the responder: they block on disks, sockets and child processes,
/// so they never run on Swift's cooperative pool. The one place Kiln starts threads.
public enum Parallel {
    /// The stack size of a thread started here unless the caller asks for another.
    public static let defaultStackSize = 1 << 20

    /// Calls `body(index)` for every index in `0..<count` on at most `threads` threads and returns the results in
    /// index order. Every index runs even when some throw; then the error of the lowest failing index is thrown.
    @available(*, noasync, message: "blocks until every item is done")
    public static func map<T: Sendable, Failure: Error>(
        _ count: Int, threads: Int, stackSize: Int = defaultStackSize, _ body: @Sendable (Int) throws(Failure) -> T
    ) throws(Failure) -> [T] {
        var values: [T] = []
        values.reserveCapacity(count)
        for result in results(count, threads: threads, stackSize: stackSize, body) { values.append(try result.get()) }
        return values
    }

    /// Like `map`, but hands back every item's outcome, failures included, in index order.
    @available(*, noasync, message: "blocks until every item is done")
    public static func results<T: Sendable, Failure: Error>(
        _ count: Int, threads: Int, stackSize: Int = defaultStackSize, _ body: @Sendable (Int) throws(Failure) -> T
    ) -> [Result<T, Failure>] {
        guard count > 0 else { return [] }
        let slots = Mutex<[Result<T, Failure>?]>(Array(repeating: nil, count: count))
        let next = Atomic<Int>(0)
        run(threads: min(max(1, threads), count), stackSize: stackSize) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let result: Result<T, Failure>
                do throws(Failure) { result = .success(try body(index)) } catch { result = .failure(error) }
                slots.withLock { $0[index] = result }
            }
        }
        return slots.withLock { $0.map { $0! } }
    }

    /// Runs `body(worker)` for each worker in `0..<threads`, each on its own thread, and returns when all returned.
    @available(*, noasync, message: "blocks until every thread is done")
    public static func run(threads: Int, stackSize: Int = defaultStackSize, _ body: @Sendable (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            let handles = (0..<threads).map { worker in start(stackSize: stackSize, detached: false) { body(worker) } }
            for handle in handles { pthread_join(handle, nil) }
        }
    }

    /// Starts a thread running `body` that nobody waits for.
    public static func detach(stackSize: Int = defaultStackSize, _ body: @escaping @Sendable () -> Void) {
        _ = start(stackSize: stackSize, detached: true, body)
    }

    private final class Body: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private static func start(stackSize: Int, detached: Bool, _ body: @escaping @Sendable () -> Void) -> pthread_t {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        let state = detached ? PTHREAD_CREATE_DETACHED : PTHREAD_CREATE_JOINABLE
        pthread_attr_setdetachstate(&attributes, Int32(state))
        pthread_attr_setstacksize(&attributes, stackSize)
        let rc = pthread_create(
            &thread, &attributes,
            { raw in
                Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        return thread
    }
}

extension Parallel {
    /// The number of processors online (at least 1).
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
