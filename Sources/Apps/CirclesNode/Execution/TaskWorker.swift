import Actors
import Rhai
import Synchronization
import Transport

/// Takes tasks from a `TaskSource` and runs them with a `ScriptRunner`, `concurrency` at a time: each
/// slot is a dedicated thread that takes a task, runs its script right there and reports the result,
/// so neither the blocking take nor the script touches the cooperative pool. `stop()` makes it take no
/// new tasks (one handed to a slot just then is given back); `run()` returns once the running ones have
/// finished. Cancelling `run()` abandons them: their scripts are stopped and their tasks given back to
/// their queues, to run again elsewhere.
public final class TaskWorker: Sendable {
    public let id: String
    public let circles: Set<String>?
    public let concurrency: Int
    private let source: any TaskSource
    private let runner: ScriptRunner
    private let stopping = Atomic<Bool>(false)
    private let abandoning = Atomic<Bool>(false)
    private let counters = Mutex((completed: 0, failed: 0, givenBack: 0))
    /// The cancellations of the scripts running now, by slot.
    private let running = Mutex<[Int: Cancellation]>([:])

    public init(id: String, source: any TaskSource, runner: ScriptRunner, circles: Set<String>? = nil, concurrency: Int) {
        self.id = id
        self.source = source
        self.runner = runner
        self.circles = circles
        self.concurrency = max(1, concurrency)
    }

    /// Tasks completed successfully and with a failure so far.
    public var completed: (succeeded: Int, failed: Int) { counters.withLock { ($0.completed, $0.failed) } }
    /// Tasks taken but given back to their queues (taken as the worker stopped, or abandoned).
    public var givenBack: Int { counters.withLock { $0.givenBack } }

    public func stop() { stopping.store(true, ordering: .relaxed) }

    /// Runs the slots until stopped or the source closes. Throws when the source fails.
    public func run() async throws(QueueError) {
        let stackSize = runner.stackSize
        let result = await withTaskCancellationHandler {
            await withTaskGroup(of: QueueError?.self) { group in
                for slot in 0..<concurrency {
                    // Below the loops and the actors: a node busy with scripts still answers its sockets.
                    group.addTask { await DedicatedThread.run("circles-worker", stackSize: stackSize, nice: 5) { self.consume(slot: slot) } }
                }
                var first: QueueError?
                for await error in group where first == nil { first = error }
                return first
            }
        } onCancel: {
            abandon()
        }
        if let result { throw result }
    }

    /// Takes no new tasks and stops the running scripts; their tasks are given back.
    private func abandon() {
        abandoning.store(true, ordering: .relaxed)
        stopping.store(true, ordering: .relaxed)
        for cancellation in running.withLock({ Array($0.values) }) { cancellation.cancel() }
    }

    /// One slot, on its own thread.
    private func consume(slot: Int) -> QueueError? {
        while !stopping.load(ordering: .relaxed) {
            do throws(QueueError) {
                guard let task = try source.take(circles: circles, worker: id) else { return nil }
                if stopping.load(ordering: .relaxed) {
                    try giveBack(task)
                    return nil
                }
                let cancellation = Cancellation()
                running.withLock { $0[slot] = cancellation }
                if abandoning.load(ordering: .relaxed) { cancellation.cancel() }
                let result = runner.runHere(task, cancellation: cancellation)
                running.withLock { $0[slot] = nil }
                // A script stopped by the abandonment did not end by itself: it runs again elsewhere.
                if abandoning.load(ordering: .relaxed), case .failure(let failure) = result.outcome, failure.kind == .timeout {
                    try giveBack(task)
                    return nil
                }
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

    private func giveBack(_ task: ScriptTask) throws(QueueError) {
        try source.giveBack(task, worker: id)
        counters.withLock { $0.givenBack += 1 }
    }
}
