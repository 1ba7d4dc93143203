import CirclesCore
import Rhai
import Synchronization

/// The rights of the task running on this thread, for the data functions to check (SPEC section 6):
/// `ScriptRunner` binds it around each run. A denied operation stops the script for good: it cannot
/// be caught, every later data call of the run is refused too, and the run ends as a `denied` failure.
package final class DataAccess: Sendable {
    /// The access of the task running on the current thread (nil outside a run: everything allowed).
    @TaskLocal package static var current: DataAccess?

    package let caller: String
    package let rights: PolicyOperations
    private let cancellation: Cancellation
    private let denial = Mutex<String?>(nil)
    private let stop = Mutex<ScriptFailure?>(nil)

    package init(caller: String, rights: PolicyOperations, cancellation: Cancellation) {
        self.caller = caller
        self.rights = rights
        self.cancellation = cancellation
    }

    /// Throws unless the current task may use `operation` (`function` names it in the error); a refusal
    /// also cancels the run, so a `try`/`catch` in the script cannot go on past it.
    package static func require(_ operation: PolicyOperations, _ function: String) throws(RhaiError) {
        guard let access = current else { return }
        try access.require(operation, function)
    }

    package func require(_ operation: PolicyOperations, _ function: String) throws(RhaiError) {
        let refused = denial.withLock { denial -> String? in
            if let earlier = denial ?? stop.withLock({ $0?.message }) { return earlier }
            guard !rights.contains(operation) else { return nil }
            denial = "\(function) needs \(operation) rights in this circle, which caller \(caller) does not have"
            return denial
        }
        guard let refused else { return }
        cancellation.cancel()
        throw RhaiError(.forbidden, refused)
    }

    /// Why the run was denied, when it was.
    package var denied: String? { denial.withLock { $0 } }

    /// Stops the current task's run with `failure` (the first one recorded wins), as a denial does:
    /// the run is cancelled and ends as this failure, whatever the script catches.
    package static func stop(_ failure: ScriptFailure) { current?.stop(failure) }

    package func stop(_ failure: ScriptFailure) {
        stop.withLock { if $0 == nil { $0 = failure } }
        cancellation.cancel()
    }

    /// The failure the run was stopped with (`stop`), when it was.
    package var stopped: ScriptFailure? { stop.withLock { $0 } }
}
