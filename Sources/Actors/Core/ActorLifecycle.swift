/// Control over an actor's life, for supervisors: start it, restart it with fresh state after a failure,
/// stop it, and wait for its current run to end.
public protocol ActorLifecycle: Sendable {
    var actorId: UInt64 { get }
    var actorName: String? { get }
    var status: ActorStatus { get }
    var mailboxDepth: Int { get }
    var restartCount: Int { get }
    /// Marks the actor as supervised: a failure ends its run and waits for `restart` instead of stopping it.
    func setSupervised()
    func start()
    func restart(after error: any Error)
    /// Asks the actor to stop after the message it is handling.
    func stop()
    /// Waits until the current run ends.
    func join() async -> ActorExit
}
