/// One run of a child, as its supervisor sees it.
public protocol RunningChild: Sendable {
    /// Waits until this run ends.
    func join() async -> ChildExit
    /// Asks the child to finish (graceful).
    func stop() async
    /// Ends the child without waiting for it to finish.
    func cancel()
    /// Messages waiting, for children that have a mailbox.
    var mailboxDepth: Int? { get }
    /// The live tree below, for children that are supervisors.
    var subtree: SupervisorSnapshot? { get }
}

extension RunningChild {
    public var mailboxDepth: Int? { nil }
    public var subtree: SupervisorSnapshot? { nil }
}
