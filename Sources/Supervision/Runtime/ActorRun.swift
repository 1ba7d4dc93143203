import Actors

/// A run of a supervised actor.
struct ActorRun: RunningChild {
    let lifecycle: any ActorLifecycle

    func join() async -> ChildExit {
        switch await lifecycle.join() {
        case .stopped: .normal
        case .failed(let reason): .failed(reason)
        }
    }

    func stop() async { lifecycle.stop() }
    func cancel() { lifecycle.stop() }
    var mailboxDepth: Int? { lifecycle.mailboxDepth }
}
