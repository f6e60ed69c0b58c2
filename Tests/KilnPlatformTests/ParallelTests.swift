import Glibc
import KilnPlatform
import Synchronization
import Testing

/// `Parallel`: results come back in index order, failures surface, and no more threads run at once than asked.
@Suite struct ParallelTests {
    struct Odd: Error, Equatable { var index: Int }

    @Test func mapReturnsResultsInIndexOrder() {
        // Later indexes finish first, so completion order is not index order.
        let squares = Parallel.map(40, threads: 4) { index in
            usleep(UInt32((40 - index) * 200))
            return index * index
        }
        #expect(squares == (0..<40).map { $0 * $0 })
    }

    @Test func mapOfNothingIsEmpty() {
        let none = Parallel.map(0, threads: 4) { index in index }
        #expect(none.isEmpty)
    }

    @Test func mapThrowsTheErrorOfTheLowestFailingIndexAfterRunningEveryItem() {
        let ran = Atomic<Int>(0)
        #expect(throws: Odd(index: 3)) {
            _ = try Parallel.map(10, threads: 3) { (index: Int) throws(Odd) -> Int in
                ran.wrappingAdd(1, ordering: .relaxed)
                if index >= 3 && index % 2 == 1 { throw Odd(index: index) }
                return index
            }
        }
        let count = ran.load(ordering: .relaxed)
        #expect(count == 10)
    }

    @Test func resultsKeepEveryOutcome() {
        let outcomes = Parallel.results(6, threads: 2) { (index: Int) throws(Odd) -> Int in
            if index % 2 == 1 { throw Odd(index: index) }
            return index * 10
        }
        let described = outcomes.map { outcome -> String in
            switch outcome {
            case .success(let value): "ok \(value)"
            case .failure(let error): "odd \(error.index)"
            }
        }
        #expect(described == ["ok 0", "odd 1", "ok 20", "odd 3", "ok 40", "odd 5"])
    }

    /// Maps `items` items on `threads` threads, each item holding its thread for `sleep` microseconds; the most
    /// items that ran at once, and how many were still counted as running afterwards.
    func concurrency(items: Int, threads: Int, sleep: UInt32) -> (peak: Int, left: Int) {
        let running = Atomic<Int>(0)
        let peak = Atomic<Int>(0)
        _ = Parallel.map(items, threads: threads) { index in
            let now = running.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
            peak.max(now, ordering: .sequentiallyConsistent)
            usleep(sleep)
            running.wrappingSubtract(1, ordering: .sequentiallyConsistent)
            return index
        }
        return (peak.load(ordering: .sequentiallyConsistent), running.load(ordering: .sequentiallyConsistent))
    }

    @Test(arguments: [1, 2, 5])
    func noMoreThreadsRunAtOnceThanAsked(_ threads: Int) {
        let (highest, left) = concurrency(items: 30, threads: threads, sleep: 2000)
        #expect(highest <= threads)
        #expect(highest >= 1)
        #expect(left == 0)
    }

    @Test func theWorkIsSpreadOverTheThreads() {
        #expect(concurrency(items: 8, threads: 4, sleep: 50_000).peak > 1)
    }

    @Test func runGivesEachWorkerItsIndexAndWaitsForAll() {
        let seen = Mutex<[Int]>([])
        Parallel.run(threads: 5, stackSize: 4 << 20) { worker in
            usleep(UInt32(1000 * (5 - worker)))
            seen.withLock { $0.append(worker) }
        }
        #expect(seen.withLock { $0.sorted() } == [0, 1, 2, 3, 4])
    }

    @Test func detachedThreadRuns() {
        let done = Atomic<Bool>(false)
        Parallel.detach { done.store(true, ordering: .sequentiallyConsistent) }
        var waited = 0
        while !done.load(ordering: .sequentiallyConsistent) && waited < 5000 {
            usleep(1000)
            waited += 1
        }
        let ran = done.load(ordering: .sequentiallyConsistent)
        #expect(ran)
    }
}
