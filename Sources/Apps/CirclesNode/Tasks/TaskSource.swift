/// The worker's side of the task protocol: take tasks (at-least-once) and report their results.
public protocol TaskSource: Sendable {
    /// Waits for the next task of one of `circles` (every known circle when nil), leased to `worker`.
    /// Returns nil when the source is shutting down.
    func take(circles: Set<String>?, worker: String) async throws(QueueError) -> ScriptTask?
    /// Records the result, answers the waiting gateway and ends the lease. A task already final is not
    /// completed twice: the call is then ignored and returns false.
    @discardableResult
    func complete(_ result: TaskResult, worker: String) async throws(QueueError) -> Bool
}
