/// The gateway's side of the task protocol: submit a task and wait for its result.
public protocol TaskQueue: Sendable {
    /// Queues `task` in its circle's queue and waits up to `timeout` seconds for a worker's result.
    func submit(_ task: ScriptTask, timeout: Double) async throws(QueueError) -> TaskResult
    /// Tasks waiting in `circle`'s queue.
    func depth(of circle: String) async -> Int
}
