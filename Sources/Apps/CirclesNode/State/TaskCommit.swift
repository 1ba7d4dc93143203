/// What a finished task hands its queue besides the result: the lease it ran under (the fence) and
/// its buffered writes, which the queue commits in the same step that records the result.
package struct TaskCommit: Sendable {
    /// The lease token of the attempt that ran the task.
    package var lease: String
    package var writes: [DataWrite]
    /// Applies `writes` durably, for queues whose store is local (embedded mode); nil when the queue
    /// applies them itself (Redis, in its complete script).
    package var apply: (@Sendable ([DataWrite]) throws(StateError) -> Void)?

    package init(lease: String, writes: [DataWrite] = [], apply: (@Sendable ([DataWrite]) throws(StateError) -> Void)? = nil) {
        self.lease = lease
        self.writes = writes
        self.apply = apply
    }
}
