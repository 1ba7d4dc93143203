import Logging
import Supervision
import Synchronization

extension Supervisor {
    /// Runs this tree as the root of a node, worker or launcher process: each of `signals` logs
    /// `onSignal` and stops the tree gracefully; `onWatching` runs once the signals are watched.
    /// Throws when the tree gives up.
    func runAsProcessRoot(signals: [Int32], logger: Logger, onSignal notice: String,
                          onWatching: () -> Void) async throws(NodeError) {
        let failure = Mutex<SupervisorError?>(nil)
        await runAsRoot(signals: signals, onSignal: { number in
            logger.notice("signal \(number): \(notice)")
        }, onWatching: onWatching, onEscalation: { error in
            failure.withLock { $0 = error }
        })
        if let error = failure.withLock({ $0 }) { throw .gaveUp("\(error)") }
    }
}
