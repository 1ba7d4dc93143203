/// The gateway's side of the task protocol: submit a task and get its result.
package protocol TaskQueue: Sendable {
    /// Queues `task` in its circle's queue and calls `completion` once: with a worker's result, or
    /// with an error (no result within `timeout` seconds, the queue unreachable or shutting down).
    /// `completion` may run on any thread, a loop's or a worker's included: it must not block.
    func submit(_ task: ScriptTask, timeout: Double, completion: @escaping @Sendable (Result<TaskResult, QueueError>) -> Void)
    /// Tasks waiting in `circle`'s queue.
    func depth(of circle: String) async -> Int
}

extension TaskQueue {
    /// Queues `task` and waits up to `timeout` seconds for its result.
    package func submit(_ task: ScriptTask, timeout: Double) async throws(QueueError) -> TaskResult {
        try await withCheckedContinuation { continuation in
            submit(task, timeout: timeout) { continuation.resume(returning: $0) }
        }.get()
    }
}
