import Actors
import Synchronization
import Transport

/// Takes tasks from a `TaskSource` and runs them with a `ScriptRunner`, `concurrency` at a time: each
/// slot is a dedicated thread that takes a task, runs its script right there and reports the result,
/// so neither the blocking take nor the script touches the cooperative pool. `stop()` makes it take no
/// new tasks; `run()` returns once the running ones have finished.
public final class TaskWorker: Sendable {
    public let id: String
    public let circles: Set<String>?
    public let concurrency: Int
    private let source: any TaskSource
    private let runner: ScriptRunner
    private let stopping = Atomic<Bool>(false)
    private let counters = Mutex((completed: 0, failed: 0))

    public init(id: String, source: any TaskSource, runner: ScriptRunner, circles: Set<String>? = nil, concurrency: Int) {
        self.id = id
        self.source = source
        self.runner = runner
        self.circles = circles
        self.concurrency = max(1, concurrency)
    }

    /// Tasks completed successfully and with a failure so far.
    public var completed: (succeeded: Int, failed: Int) { counters.withLock { ($0.completed, $0.failed) } }

    public func stop() { stopping.store(true, ordering: .relaxed) }

    /// Runs the slots until stopped or the source closes. Throws when the source fails.
    public func run() async throws(QueueError) {
        let stackSize = runner.stackSize
        let result = await withTaskGroup(of: QueueError?.self) { group in
            for _ in 0..<concurrency {
                // Below the loops and the actors: a node busy with scripts still answers its sockets.
                group.addTask { await DedicatedThread.run("circles-worker", stackSize: stackSize, nice: 5) { self.consume() } }
            }
            var first: QueueError?
            for await error in group where first == nil { first = error }
            return first
        }
        if let result { throw result }
    }

    /// One slot, on its own thread.
    private func consume() -> QueueError? {
        while !stopping.load(ordering: .relaxed) {
            do throws(QueueError) {
                guard let task = try source.take(circles: circles, worker: id) else { return nil }
                let result = runner.runHere(task)
                try source.complete(result, worker: id)
                counters.withLock { counters in
                    if case .success = result.outcome { counters.completed += 1 } else { counters.failed += 1 }
                }
            } catch {
                return error
            }
        }
        return nil
    }
}
