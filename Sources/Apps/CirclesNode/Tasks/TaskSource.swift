/// The worker's side of the task protocol: take tasks (at-least-once) and report their results.
/// Both calls block the calling thread, a worker's dedicated thread, so that a task goes from the
/// queue to the script without a trip through Swift's cooperative pool: never call them from an
/// async context.
public protocol TaskSource: Sendable {
    /// Waits for the next task of one of `circles` (every known circle when nil), leased to `worker`.
    /// Returns nil when the source is shutting down or `worker` was released.
    func take(circles: Set<String>?, worker: String) throws(QueueError) -> ScriptTask?
    /// Records the result, answers the waiting gateway and ends the lease. A task already final is not
    /// completed twice: the call is then ignored and returns false.
    @discardableResult
    func complete(_ result: TaskResult, worker: String) throws(QueueError) -> Bool
    /// Ends the lease of a task `worker` will not run (it is stopping) and puts the task back at the
    /// head of its queue; the delivery does not count. Ignored when the lease is no longer the worker's.
    func giveBack(_ task: ScriptTask, worker: String) throws(QueueError)
}
