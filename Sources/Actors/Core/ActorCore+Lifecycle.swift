extension ActorCore: ActorLifecycle {
    public var actorId: UInt64 { id }
    public var actorName: String? { name }
    public var status: ActorStatus { lifecycle.withLock { $0.status } }
    public var mailboxDepth: Int { mailbox.depth }
    public var restartCount: Int { lifecycle.withLock { $0.restarts } }

    public func setSupervised() { lifecycle.withLock { $0.supervised = true } }
    public func start() { startRun(after: nil) }
    public func restart(after error: any Error) { startRun(after: error) }
    public func stop() { requestStop() }

    public func join() async -> ActorExit {
        await withCheckedContinuation { continuation in
            let done: ActorExit? = lifecycle.withLock { life in
                switch life.status {
                case .stopped, .failed: return life.lastExit ?? .stopped
                default:
                    life.joiners.append(continuation)
                    return nil
                }
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Calls `handler` once when the actor stops for good (at once if it already has).
    func onTermination(id watcher: UInt64, _ handler: @escaping @Sendable (ActorExit) -> Void) {
        let stopped: ActorExit? = lifecycle.withLock { life in
            if life.status == .stopped { return life.lastExit ?? .stopped }
            life.watchers[watcher] = handler
            return nil
        }
        if let stopped { handler(stopped) }
    }

    func removeTerminationHandler(id watcher: UInt64) {
        lifecycle.withLock { _ = $0.watchers.removeValue(forKey: watcher) }
    }

    func adopt(_ child: any ActorLifecycle) -> Bool {
        lifecycle.withLock { life in
            guard life.status != .stopped else { return false }
            life.children.append(child)
            return true
        }
    }
}
