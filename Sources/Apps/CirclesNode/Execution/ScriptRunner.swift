import CirclesCore
import Rhai
import Synchronization
import Actors
import Threads

/// Runs tasks in their circle's context (SPEC section 6) on dedicated threads: the context constants,
/// the data functions confined to the circle's namespace, the caller allow-list and the script limits.
/// A script that fails, loops or overflows gets a failure result; the runner and its threads go on.
/// Workers call `runHere` on their own dedicated threads; `run` starts a thread for one task.
package final class ScriptRunner: Sendable {
    package let dataDirectory: String
    /// Stack of the threads scripts run on; `runHere` needs a thread with at least this much.
    package let stackSize: Int
    /// Where circles' data lives unless a task source brings its own (Redis): SQLite under `dataDirectory`.
    package let storage: any CircleStorage
    private let policies: @Sendable (String) -> CirclePolicy
    /// The circles this runner is configured for (nil: any); a task of another circle is denied.
    package let circles: Set<String>?
    private let engines = Mutex<[String: CircleEngine]>([:])

    /// Scripts run on threads of `stackSize` bytes; `policies` gives each circle's policy; with
    /// `circles`, tasks of other circles are denied.
    package init(dataDirectory: String, stackSize: Int = 32 << 20, circles: Set<String>? = nil,
                storage: (any CircleStorage)? = nil,
                policies: @escaping @Sendable (String) -> CirclePolicy = { _ in CirclePolicy() }) {
        self.dataDirectory = dataDirectory
        self.stackSize = stackSize
        self.circles = circles
        self.storage = storage ?? SQLiteStorage(dataDirectory: dataDirectory)
        self.policies = policies
    }

    /// Runs `task` on a new thread and returns its result; every failure is a `ScriptFailure`.
    package func run(_ task: ScriptTask) async -> TaskResult {
        await DedicatedThread.run("script", stackSize: stackSize, nice: 5) { [self] in runHere(task) }
    }

    /// Runs `task` on the calling thread, a dedicated one with `stackSize` bytes of stack (never a
    /// thread of the cooperative pool), commits its writes when it succeeds and returns its result.
    /// Cancelling `cancellation` stops the script as its time limit does (a `timeout` failure). Tasks
    /// from a queue go through `runTransaction` instead, whose writes the queue commits.
    package func runHere(_ task: ScriptTask, cancellation: Cancellation = Cancellation()) -> TaskResult {
        let (result, commit) = runTransaction(task, cancellation: cancellation)
        guard case .success = result.outcome, !commit.writes.isEmpty, let apply = commit.apply else { return result }
        do throws(StateError) {
            try apply(commit.writes)
            return result
        } catch {
            return TaskResult(taskId: task.id, outcome: .failure(CircleEngine.failure(error)), logs: result.logs)
        }
    }

    /// Runs `task` like `runHere`, its data read from `storage` (the runner's own when nil), and returns
    /// its result with its buffered writes, uncommitted: a failed task has none.
    package func runTransaction(_ task: ScriptTask, cancellation: Cancellation = Cancellation(),
                               storage: (any CircleStorage)? = nil) -> (TaskResult, TaskCommit) {
        let nothing = TaskCommit(lease: task.lease)
        if let rejection = task.rejection { return (TaskResult(taskId: task.id, outcome: .failure(rejection)), nothing) }
        if let circles, !circles.contains(task.circle) {
            return (Self.denied(task, "this worker does not serve circle \(task.circle)"), nothing)
        }
        let policy = policies(task.circle)
        guard let rights = policy.rights(of: task.caller, in: task.circle) else {
            return (Self.denied(task, "caller \(task.caller) may not run scripts in this circle"), nothing)
        }
        let engine: CircleEngine
        do {
            engine = try self.engine(for: task.circle, policy: policy)
        } catch {
            return (TaskResult(taskId: task.id, outcome: .failure(ScriptFailure(kind: .runtime, message: "\(error)"))), nothing)
        }
        // A task may ask for less time than the circle allows, never more.
        let timeout = min(task.timeout ?? policy.limits.timeout, policy.limits.timeout)
        let deadline = DeadlineTimer.shared.schedule(after: timeout) { [weak cancellation] in cancellation?.cancel() }
        defer { deadline.cancel() }
        let storage = storage ?? self.storage
        let circle = task.circle
        let transaction = CircleTransaction(circle: circle, caller: task.caller, limits: policy.dataLimits) { () throws(StateError) in
            try storage.store(for: circle)
        }
        let access = DataAccess(caller: task.caller, rights: rights, cancellation: cancellation)
        let result = DataAccess.$current.withValue(access) {
            engine.execute(task, transaction: transaction, cancellation: cancellation, timeout: timeout, stackSize: stackSize)
        }
        if let denial = access.denied {
            return (TaskResult(taskId: task.id, outcome: .failure(ScriptFailure(kind: .denied, message: denial)), logs: result.logs), nothing)
        }
        if var stopped = access.stopped {
            if stopped.line == nil, case .failure(let failure) = result.outcome { (stopped.line, stopped.column) = (failure.line, failure.column) }
            return (TaskResult(taskId: task.id, outcome: .failure(stopped), logs: result.logs), nothing)
        }
        guard case .success = result.outcome else { return (result, nothing) }
        return (result, TaskCommit(lease: task.lease, writes: transaction.writes, apply: transaction.store?.committer))
    }

    private static func denied(_ task: ScriptTask, _ message: String) -> TaskResult {
        TaskResult(taskId: task.id, outcome: .failure(ScriptFailure(kind: .denied, message: message)))
    }

    private func engine(for circle: String, policy: CirclePolicy) throws(NamespaceError) -> CircleEngine {
        if let cached = engines.withLock({ $0[circle] }), cached.policy == policy { return cached }
        let created = CircleEngine(namespace: try PeerNamespace(base: dataDirectory, circle: circle), policy: policy)
        engines.withLock { $0[circle] = created }
        return created
    }
}
