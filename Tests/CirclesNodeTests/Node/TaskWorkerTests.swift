import TestSupport
import Testing
@testable import CirclesNode

@Suite struct TaskWorkerTests {
    func tempDir() throws -> String {
        try TemporaryDirectory.make(prefix: "circles-worker")
    }

    @Test func runsSubmittedTasksThroughTheEmbeddedQueue() async throws {
        let queue = EmbeddedTaskQueue()
        let runner = ScriptRunner(dataDirectory: try tempDir())
        let worker = TaskWorker(id: "w1", source: queue, runner: runner, concurrency: 4)
        let running = Task { await worker.run() }
        let results = try await withThrowingTaskGroup(of: (Int, TaskResult).self) { group in
            for index in 0..<40 {
                group.addTask {
                    let task = ScriptTask(circle: index % 2 == 0 ? "c1" : "c2", caller: "me", script: "\(index) * 2", createdAt: 0)
                    return (index, try await queue.submit(task, timeout: 30))
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for index in 0..<40 { #expect(results[index]?.outcome == .success("\(index * 2)")) }
        // The worker counts a task after answering it.
        try await Wait.until(timeout: 10, "the worker to count 40 tasks") { worker.completed.succeeded == 40 }
        worker.stop()
        queue.close()
        await running.value
    }

    @Test func aFailingScriptDoesNotStopTheWorker() async throws {
        let queue = EmbeddedTaskQueue()
        let runner = ScriptRunner(dataDirectory: try tempDir())
        let worker = TaskWorker(id: "w1", source: queue, runner: runner, concurrency: 1)
        let running = Task { await worker.run() }
        let bad = try await queue.submit(ScriptTask(circle: "c", caller: "me", script: "let;", createdAt: 0), timeout: 30)
        guard case .failure(let failure) = bad.outcome else {
            Issue.record("expected a parse failure")
            return
        }
        #expect(failure.kind == .parse)
        let good = try await queue.submit(ScriptTask(circle: "c", caller: "me", script: "\"fine\"", createdAt: 0), timeout: 30)
        #expect(good.outcome == .success("fine"))
        try await Wait.until(timeout: 10, "the worker to count both tasks") { worker.completed == (1, 1) }
        queue.close()
        await running.value
    }
}

@Suite struct WorkerErrorLogTests {
    @Test func aFailingQueueIsReportedOnceAndThenAtMostEveryTenSeconds() {
        let log = RecordedLog()
        let clock = ManualClock()
        let report = WorkerService.errorLogger("w1", log.logger, clock: clock.read)
        for _ in 0..<20 { report(.unavailable("connection refused")) }
        clock.advance(9.9)
        report(.unavailable("connection refused"))
        clock.advance(0.1)
        report(.unavailable("still refused"))
        #expect(log.lines.withLock { $0 } == [
            "warning worker w1: task queue unavailable: connection refused; retrying",
            "warning worker w1: task queue unavailable: still refused; retrying (20 more failures in the last 10 s)",
        ])
    }
}
