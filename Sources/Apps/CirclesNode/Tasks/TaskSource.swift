/// The worker's side of the task protocol: take tasks (at-least-once) and report their results.
/// The calls block the calling thread, a worker's dedicated thread, so that a task goes from the
/// queue to the script without a trip through Swift's cooperative pool: never call them from an
/// async context.
///
/// A circle takes one turn at a time: a source never hands out a task of a circle while another of
/// its tasks runs, and hands a circle's tasks out in queue order (SPEC section 6.1).
package protocol TaskSource: Sendable {
    /// Waits for the next task of one of `circles` (every known circle when nil), leased to `worker`
    /// under a fresh lease token (`ScriptTask.lease`). Returns nil when the source is shutting down or
    /// `worker` was released.
    func take(circles: Set<String>?, worker: String) throws(QueueError) -> ScriptTask?
    /// Records the result, commits the task's writes (`commit`) in the same step, answers the waiting
    /// gateway and ends the lease and the circle's turn. With a `commit`, only the attempt holding the
    /// task's lease (its token) may: another is `.refused` and writes nothing. A task already final is
    /// not completed twice (`.ignored`).
    func complete(_ result: TaskResult, commit: TaskCommit?, worker: String) throws(QueueError) -> Completion
    /// Ends the lease of a task `worker` will not run (it is stopping) and puts the task back at the
    /// head of its queue; the delivery does not count. Ignored when the lease is no longer the worker's.
    func giveBack(_ task: ScriptTask, worker: String) throws(QueueError)
    /// Extends the leases of `tasks`, which `worker` is running now, by the visibility timeout.
    func renew(_ tasks: [ScriptTask], worker: String) throws(QueueError)
    /// How often a worker renews the leases of its running tasks (seconds).
    var renewInterval: Double { get }
    /// Where the tasks of this source read their circle's data; nil: the worker's own (SQLite).
    var storage: (any CircleStorage)? { get }
}

extension TaskSource {
    /// Records a result without a commit (no writes, no fence beyond the task's status); true when recorded.
    @discardableResult
    package func complete(_ result: TaskResult, worker: String) throws(QueueError) -> Bool {
        try complete(result, commit: nil, worker: worker) == .recorded
    }

    package var storage: (any CircleStorage)? { nil }
}
