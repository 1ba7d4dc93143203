/// A long-running child that is not an actor (a listener, a queue consumer): `run` returns when it is
/// done, throws when it fails; `shutdown` asks it to finish (stop accepting, drain) so `run` returns.
public protocol Service: Sendable {
    func run() async throws
    /// Graceful stop request; the default relies on task cancellation.
    func shutdown() async
}

extension Service {
    public func shutdown() async {}
}
