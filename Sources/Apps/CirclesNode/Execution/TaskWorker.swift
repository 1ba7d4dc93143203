#if canImport(Glibc)
import Glibc
#endif
import Actors
import Rhai
import Supervision
import Synchronization
import Transport
import Threads

/// Takes tasks from a `TaskSource` and runs them with a `ScriptRunner`, `concurrency` at a time: each
/// slot is a dedicated thread that takes a task, runs its script right there and reports the result
/// with the task's buffered writes (which the source commits in the same step), so neither the
/// blocking take nor the script touches the cooperative pool. One more thread renews the leases of the
/// running tasks every `renewInterval` of the source, so a script running longer than the visibility
/// timeout is not delivered again meanwhile.
///
/// A slot outlives queue failures (Redis down, a dropped connection): it reports the error to
/// `onEvent`, waits (50 ms, doubling to 2 s) and takes again; a result it could not record is kept and
/// recorded again until it is, so a live worker never sits on a lease it cannot finish. `stop()` makes
/// it take no new tasks (one handed to a slot just then is given back); `run()` returns once the
/// running ones have finished. Cancelling `run()` abandons them: their scripts are stopped and their
/// tasks given back to their queues, to run again elsewhere.
package final class TaskWorker: Sendable {
    package let id: String
    package let circles: Set<String>?
    package let concurrency: Int
    private let source: any TaskSource
    private let runner: ScriptRunner
    private let onEvent: @Sendable (Event) -> Void
    private let stopping = Atomic<Bool>(false)
    private let abandoning = Atomic<Bool>(false)
    private let counters = Mutex((completed: 0, failed: 0, givenBack: 0, refused: 0))
    /// The scripts running now (their tasks and cancellations), by slot.
    private let running = Mutex<[Int: (task: ScriptTask, cancellation: Cancellation)]>([:])
    private let slotsDone = Atomic<Bool>(false)

    package init(id: String, source: any TaskSource, runner: ScriptRunner, circles: Set<String>? = nil, concurrency: Int,
                onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.id = id
        self.source = source
        self.runner = runner
        self.circles = circles
        self.concurrency = max(1, concurrency)
        self.onEvent = onEvent
    }

    /// Tasks completed successfully and with a failure so far.
    package var completed: (succeeded: Int, failed: Int) { counters.withLock { ($0.completed, $0.failed) } }
    /// Tasks taken but given back to their queues (taken as the worker stopped, or abandoned).
    package var givenBack: Int { counters.withLock { $0.givenBack } }
    /// Results refused because their attempt had lost its lease.
    package var refused: Int { counters.withLock { $0.refused } }

    package func stop() { stopping.store(true, ordering: .relaxed) }

    /// Runs the slots until stopped or the source closes.
    package func run() async {
        let stackSize = runner.stackSize
        slotsDone.store(false, ordering: .relaxed)
        await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await DedicatedThread.run("renew") { self.renewLeases() } }
                await withTaskGroup(of: Void.self) { slots in
                    for slot in 0..<concurrency {
                        // Below the loops and the actors: a node busy with scripts still answers its sockets.
                        slots.addTask { await DedicatedThread.run("worker", stackSize: stackSize, nice: 5) { self.consume(slot: slot) } }
                    }
                }
                slotsDone.store(true, ordering: .relaxed)
            }
        } onCancel: {
            abandon()
        }
    }

    /// Takes no new tasks and stops the running scripts; their tasks are given back.
    private func abandon() {
        abandoning.store(true, ordering: .relaxed)
        stopping.store(true, ordering: .relaxed)
        for entry in running.withLock({ Array($0.values) }) { entry.cancellation.cancel() }
    }

    /// Renews the leases of the running tasks every `renewInterval` of the source until the slots end.
    private func renewLeases() {
        let interval = max(0.05, source.renewInterval)
        var next = SystemTime.monotonic() + interval
        while !slotsDone.load(ordering: .relaxed) {
            usleep(50_000)  // ok: the renewal thread's own pace
            guard SystemTime.monotonic() >= next else { continue }
            next = SystemTime.monotonic() + interval
            let tasks = running.withLock { $0.values.map(\.task) }
            guard !tasks.isEmpty else { continue }
            do throws(QueueError) {
                try source.renew(tasks, worker: id)
            } catch {
                onEvent(.queueError(error))
            }
        }
    }

    /// One slot, on its own thread.
    private func consume(slot: Int) {
        var failures = 0
        while !stopping.load(ordering: .relaxed) {
            let task: ScriptTask
            do throws(QueueError) {
                guard let taken = try source.take(circles: circles, worker: id) else { return }
                task = taken
            } catch {
                onEvent(.queueError(error))
                pause(after: &failures, unless: stopping)
                continue
            }
            failures = 0
            if stopping.load(ordering: .relaxed) {
                giveBack(task)
                return
            }
            onEvent(.started(task))
            let cancellation = Cancellation()
            running.withLock { $0[slot] = (task, cancellation) }
            if abandoning.load(ordering: .relaxed) { cancellation.cancel() }
            let began = SystemTime.monotonic()
            let (result, commit) = runner.runTransaction(task, cancellation: cancellation, storage: source.storage)
            running.withLock { $0[slot] = nil }
            onEvent(.finished(task, seconds: SystemTime.monotonic() - began))
            // A script stopped by the abandonment did not end by itself: it runs again elsewhere.
            if abandoning.load(ordering: .relaxed), case .failure(let failure) = result.outcome, failure.kind == .timeout {
                giveBack(task)
                return
            }
            record(result, commit: commit)
        }
    }

    /// Records `result`, again and again while the queue fails. An abandoned worker gives up: the lease
    /// stays, and the reaper delivers the task again once this worker is gone.
    private func record(_ result: TaskResult, commit: TaskCommit) {
        var failures = 0
        while true {
            do throws(QueueError) {
                var result = result
                switch try source.complete(result, commit: commit, worker: id) {
                case .refused:
                    counters.withLock { $0.refused += 1 }
                    onEvent(.refused(result))
                    return
                case .commitFailed(let failure):
                    result.outcome = .failure(failure)
                case .recorded, .ignored:
                    break
                }
                counters.withLock { counters in
                    if case .success = result.outcome { counters.completed += 1 } else { counters.failed += 1 }
                }
                onEvent(.recorded(result))
                return
            } catch {
                onEvent(.queueError(error))
                if abandoning.load(ordering: .relaxed) { return }
                pause(after: &failures, unless: abandoning)
            }
        }
    }

    private func giveBack(_ task: ScriptTask) {
        do throws(QueueError) {
            try source.giveBack(task, worker: id)
            counters.withLock { $0.givenBack += 1 }
            onEvent(.gaveBack(task))
        } catch {
            onEvent(.queueError(error))  // the lease stays; the reaper delivers the task again once this worker is gone
        }
    }


    /// Waits out the backoff after `failures` failures in a row (seeing `flag` within 50 ms) and counts one more.
    private func pause(after failures: inout Int, unless flag: borrowing Atomic<Bool>) {
        let until = SystemTime.monotonic() + Backoff.reconnect.delay(attempt: failures, random: 0)
        failures += 1
        while !flag.load(ordering: .relaxed) {
            let left = until - SystemTime.monotonic()
            if left <= 0 { break }
            usleep(UInt32(min(left, 0.05) * 1_000_000))  // ok: a worker's own thread, between retries
        }
    }
}
