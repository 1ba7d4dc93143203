#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import CirclesNode

@Suite struct ThreadPoolTests {
    @Test func runsJobsOffTheCooperativePoolAndReturnsTheirResults() async {
        let pool = ThreadPool(threads: 2)
        defer { pool.shutdown() }
        let callerThread = pthread_self()
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for index in 0..<50 {
                group.addTask { await pool.run { (index * index, pthread_equal(pthread_self(), callerThread) == 0) } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.map(\.0).sorted() == (0..<50).map { $0 * $0 })
        #expect(results.allSatisfy { $0.1 })
    }

    @Test func blockingJobsDoNotStarveTheCooperativePool() async {
        let pool = ThreadPool(threads: 4)
        defer { pool.shutdown() }
        let gate = Gate()
        // Four jobs block their threads until released; the cooperative pool must stay free meanwhile.
        let blocked = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        await pool.run {
                            while !gate.open.load(ordering: .acquiring) { sched_yield() }
                        }
                    }
                }
            }
        }
        let answer = await Task.detached { 21 * 2 }.value
        #expect(answer == 42)
        gate.open.store(true, ordering: .releasing)
        await blocked.value
    }

    @Test func givesEachThreadTheRequestedStack() async {
        let pool = ThreadPool(threads: 1, stackSize: 64 << 20)
        defer { pool.shutdown() }
        let reached = await pool.run { Self.recurse(200_000) }
        #expect(reached == 200_000)
    }

    /// Recursion with a few hundred bytes of frame per level: ~60 MB at 200,000 levels.
    private static func recurse(_ n: Int) -> Int {
        var padding = (n, n, n, n, n, n, n, n, n, n, n, n, n, n, n, n)
        let width = withUnsafeMutableBytes(of: &padding) { $0.count }
        return n > 0 && width > 0 ? recurse(n - 1) + 1 : 0
    }

    private final class Gate: Sendable {
        let open = Atomic<Bool>(false)
    }
}
