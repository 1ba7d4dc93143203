import Synchronization
import TestSupport
import Testing
@testable import CirclesNode

final class ManualClock: Sendable {
    private let value = Mutex(1000.0)
    var now: Double { value.withLock { $0 } }
    func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
    var read: @Sendable () -> Double { { self.now } }
}

@Suite struct EmbeddedTaskQueueTests {
    let clock = ManualClock()

    func makeQueue(_ configure: (inout EmbeddedTaskQueue.Options) -> Void = { _ in }) -> EmbeddedTaskQueue {
        var options = EmbeddedTaskQueue.Options()
        configure(&options)
        return EmbeddedTaskQueue(options: options, clock: clock.read)
    }

    func task(_ circle: String = "c1", _ script: String = "1 + 1") -> ScriptTask {
        ScriptTask(circle: circle, caller: "caller", script: script, createdAt: clock.now)
    }

    /// Waits until `condition` holds (polling), failing the test after 30 s.
    func eventually(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await Wait.until(timeout: 30, "the condition") { condition() }
        } catch {
            Issue.record(error, sourceLocation: sourceLocation)
        }
    }

    @Test func aSubmittedTaskIsTakenRunAndAnswered() async throws {
        let queue = makeQueue()
        let submitted = task()
        async let answer = queue.submit(submitted, timeout: 30)
        let taken = try await onDedicatedThread { try queue.take(circles: nil, worker: "w1") }
        #expect(taken == submitted)
        #expect(queue.record(of: submitted.id)?.status == .processing)
        let result = TaskResult(taskId: submitted.id, outcome: .success("2"), logs: ["hi"])
        #expect(try await onDedicatedThread { try queue.complete(result, worker: "w1") })
        #expect(try await answer == result)
        #expect(queue.record(of: submitted.id)?.status == .completed)
        #expect(queue.record(of: submitted.id)?.deliveries == 1)
    }

    @Test func aWaitingWorkerIsWokenOnlyByItsCircles() async throws {
        let queue = makeQueue()
        async let taken = onDedicatedThread { try queue.take(circles: ["c2"], worker: "w1") }
        let other = task("c1")
        let mine = task("c2")
        async let first = queue.submit(other, timeout: 30)
        async let second = queue.submit(mine, timeout: 30)
        #expect(try await taken == mine)
        #expect(await queue.depth(of: "c1") == 1)
        _ = try await onDedicatedThread { try queue.complete(TaskResult(taskId: mine.id, outcome: .success("ok")), worker: "w1") }
        #expect(try await second.outcome == .success("ok"))
        let next = try await onDedicatedThread { try queue.take(circles: nil, worker: "w2") }
        #expect(next == other)
        _ = try await onDedicatedThread { try queue.complete(TaskResult(taskId: other.id, outcome: .success("ok")), worker: "w2") }
        _ = try await first
    }

    @Test func anExpiredLeaseIsDeliveredAgainAndCompletedOnce() async throws {
        let queue = makeQueue { $0.visibilityTimeout = 10 }
        let submitted = task()
        async let answer = queue.submit(submitted, timeout: 300)
        _ = try await onDedicatedThread { try queue.take(circles: nil, worker: "dead-worker") }
        clock.advance(11)
        queue.reap()
        let again = try await onDedicatedThread { try queue.take(circles: nil, worker: "w2") }
        #expect(again == submitted)
        #expect(queue.record(of: submitted.id)?.deliveries == 2)
        let result = TaskResult(taskId: submitted.id, outcome: .success("from w2"))
        #expect(try await onDedicatedThread { try queue.complete(result, worker: "w2") })
        let late = TaskResult(taskId: submitted.id, outcome: .success("from the slow worker"))
        #expect(try await !onDedicatedThread { try queue.complete(late, worker: "dead-worker") })
        #expect(try await answer == result)
        #expect(queue.record(of: submitted.id)?.result == result)
    }

    @Test func abandoningAWorkerRequeuesItsTasksAtOnce() async throws {
        let queue = makeQueue()
        let submitted = task()
        async let answer = queue.submit(submitted, timeout: 300)
        _ = try await onDedicatedThread { try queue.take(circles: nil, worker: "w1") }
        queue.abandon(worker: "w1")
        #expect(try await onDedicatedThread { try queue.take(circles: nil, worker: "w2") } == submitted)
        _ = try await onDedicatedThread { try queue.complete(TaskResult(taskId: submitted.id, outcome: .success("x")), worker: "w2") }
        #expect(try await answer.outcome == .success("x"))
    }

    @Test func tooManyDeliveriesSendTheTaskToTheDeadLetterList() async throws {
        let queue = makeQueue { $0.maxDeliveries = 2 }
        let submitted = task()
        async let answer = queue.submit(submitted, timeout: 300)
        for worker in ["w1", "w2"] {
            _ = try await onDedicatedThread { try queue.take(circles: nil, worker: worker) }
            queue.abandon(worker: worker)
        }
        let result = try await answer
        guard case .failure(let failure) = result.outcome else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.message.contains("dead-letter"))
        #expect(queue.deadLetters(of: "c1") == [submitted.id])
        #expect(queue.record(of: submitted.id)?.status == .error)
    }

    @Test func aTaskGivenBackIsTakenNextAndItsDeliveryDoesNotCount() async throws {
        let queue = makeQueue { $0.maxDeliveries = 1 }
        let (first, second) = (task(), task())
        async let firstAnswer = queue.submit(first, timeout: 300)
        try await Wait.until(timeout: 10, "the first queued") { await queue.depth(of: "c1") == 1 }
        async let secondAnswer = queue.submit(second, timeout: 300)
        try await Wait.until(timeout: 10, "both queued") { await queue.depth(of: "c1") == 2 }
        let taken = try await onDedicatedThread { try queue.take(circles: nil, worker: "stopping") }
        #expect(taken == first)
        try queue.giveBack(first, worker: "other")  // not its lease: ignored
        #expect(queue.record(of: first.id)?.status == .processing)
        try queue.giveBack(first, worker: "stopping")
        #expect(queue.record(of: first.id)?.status == .pending)
        #expect(queue.record(of: first.id)?.deliveries == 0)
        // Back at the head, and with one delivery allowed it still runs (the stopped one did not count).
        #expect(try await onDedicatedThread { try queue.take(circles: nil, worker: "w2") } == first)
        for done in [first, second] {
            if done == second { _ = try await onDedicatedThread { try queue.take(circles: nil, worker: "w2") } }
            _ = try await onDedicatedThread { try queue.complete(TaskResult(taskId: done.id, outcome: .success("ok")), worker: "w2") }
        }
        #expect(try await firstAnswer.outcome == .success("ok"))
        #expect(try await secondAnswer.outcome == .success("ok"))
    }

    @Test func theDeadLetterListKeepsTheNewestIds() async throws {
        let queue = makeQueue {
            $0.maxDeliveries = 1
            $0.deadLetterCapacity = 2
        }
        var buried: [String] = []
        for index in 0..<3 {
            let submitted = task()
            async let answer = queue.submit(submitted, timeout: 300)
            _ = try await onDedicatedThread { try queue.take(circles: nil, worker: "w\(index)") }
            queue.abandon(worker: "w\(index)")
            _ = try await answer
            buried.append(submitted.id)
        }
        #expect(queue.deadLetters(of: "c1") == Array(buried.suffix(2)))
    }

    @Test func aGatewayWaitingTooLongTimesOut() async throws {
        let queue = makeQueue()
        let submitted = task()
        let answer = Task { try await queue.submit(submitted, timeout: 5) }
        await eventually { queue.record(of: submitted.id) != nil }
        clock.advance(6)
        queue.reap()
        await #expect(throws: QueueError.timedOut(seconds: 5)) { try await answer.value }
    }

    @Test func aTaskTimedOutBeforeAnyWorkerTookItIsWithdrawnAndNeverRuns() async throws {
        let queue = makeQueue()
        let (stale, taken) = (task(), task())
        let staleAnswer = Task { try await queue.submit(stale, timeout: 5) }
        await eventually { queue.record(of: stale.id) != nil }
        let takenAnswer = Task { try await queue.submit(taken, timeout: 5) }
        await eventually { queue.record(of: taken.id) != nil }
        // A worker takes the first one; then both callers give up.
        #expect(try await onDedicatedThread { try queue.take(circles: nil, worker: "w") } == stale)
        clock.advance(6)
        queue.reap()
        await #expect(throws: QueueError.timedOut(seconds: 5)) { try await staleAnswer.value }
        await #expect(throws: QueueError.timedOut(seconds: 5)) { try await takenAnswer.value }
        // The one still queued is withdrawn: final, off its queue, never handed to a worker.
        #expect(queue.record(of: taken.id)?.status == .error)
        guard case .failure(let failure)? = queue.record(of: taken.id)?.result?.outcome else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.kind == .timeout && failure.message.contains("withdrawn"))
        #expect(await queue.depth(of: "c1") == 0)
        // The one a worker held runs to its end; its result is recorded though nobody waits.
        #expect(queue.record(of: stale.id)?.status == .processing)
        #expect(try queue.complete(TaskResult(taskId: stale.id, outcome: .success("late")), worker: "w"))
        let next = task()
        Task { try await queue.submit(next, timeout: 300) }
        #expect(try await onDedicatedThread { try queue.take(circles: nil, worker: "w") } == next)
    }

    @Test func isBoundedAndClosesCleanly() async throws {
        let queue = makeQueue { $0.capacity = 1 }
        let first = Task { try await queue.submit(task(), timeout: 300) }
        await eventually { queue.activeCount == 1 }
        await #expect(throws: QueueError.overloaded(limit: 1)) { try await queue.submit(task(), timeout: 300) }
        let waitingWorker = Task { try await onDedicatedThread { try queue.take(circles: ["other"], worker: "w") } }
        queue.close()
        await #expect(throws: QueueError.shuttingDown) { try await first.value }
        #expect(try await waitingWorker.value == nil)
        await #expect(throws: QueueError.shuttingDown) { try await queue.submit(task(), timeout: 1) }
    }

    @Test func aReleasedWorkerTakesNothingMoreWhileOthersGoOn() async throws {
        let queue = makeQueue()
        let waiting = Task { try await onDedicatedThread { try queue.take(circles: nil, worker: "stopping") } }
        try await Wait.until(timeout: 10, "the take to wait") { queue.waitingWorkers == 1 }
        queue.release(worker: "stopping")
        #expect(try await waiting.value == nil)
        // A slot that was running a script when its worker stopped calls take once more: nil at once,
        // even with a task queued, which another worker then takes.
        let submitted = task()
        async let answer = queue.submit(submitted, timeout: 30)
        try await Wait.until(timeout: 10, "the task to be queued") { await queue.depth(of: submitted.circle) == 1 }
        #expect(try await onDedicatedThread { try queue.take(circles: nil, worker: "stopping") } == nil)
        #expect(try await onDedicatedThread { try queue.take(circles: nil, worker: "other") } == submitted)
        _ = try await onDedicatedThread { try queue.complete(TaskResult(taskId: submitted.id, outcome: .success("ok")), worker: "other") }
        #expect(try await answer.outcome == .success("ok"))
    }

    @Test func finalTasksAreForgottenAfterTheirTTL() async throws {
        let queue = makeQueue { $0.completedTTL = 100 }
        let submitted = task()
        async let answer = queue.submit(submitted, timeout: 300)
        _ = try await onDedicatedThread { try queue.take(circles: nil, worker: "w") }
        _ = try await onDedicatedThread { try queue.complete(TaskResult(taskId: submitted.id, outcome: .success("")), worker: "w") }
        _ = try await answer
        clock.advance(50)
        queue.reap()
        #expect(queue.record(of: submitted.id) != nil)
        clock.advance(51)
        queue.reap()
        #expect(queue.record(of: submitted.id) == nil)
    }

    @Test func atMostCompletedCapacityFinalTasksAreRememberedAndAForgottenOneCannotCompleteAgain() async throws {
        let queue = makeQueue { $0.completedCapacity = 3 }
        var ids: [String] = []
        for index in 0..<10 {
            let submitted = task("\(index)")
            async let answer = queue.submit(submitted, timeout: 300)
            let taken = try await onDedicatedThread { try queue.take(circles: nil, worker: "w") }
            #expect(taken?.id == submitted.id)
            #expect(try await onDedicatedThread { try queue.complete(TaskResult(taskId: submitted.id, outcome: .success("\(index)")), worker: "w") })
            #expect(try await answer.outcome == .success("\(index)"))
            ids.append(submitted.id)
        }
        let all = ids
        #expect(all.filter { queue.record(of: $0) != nil } == Array(all.suffix(3)))
        #expect(queue.activeCount == 0)
        // A late duplicate of a forgotten task and of a remembered one: both refused.
        #expect(try await !onDedicatedThread { try queue.complete(TaskResult(taskId: all[0], outcome: .success("again")), worker: "w") })
        #expect(try await !onDedicatedThread { try queue.complete(TaskResult(taskId: all[9], outcome: .success("again")), worker: "w") })
        #expect(queue.record(of: all[9])?.result?.outcome == .success("9"))
    }
}
