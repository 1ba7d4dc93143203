import CirclesCore
import Rhai
import Synchronization
import Actors

/// Runs tasks in their circle's context (SPEC section 6) on dedicated threads: the context constants,
/// the data functions confined to the circle's namespace, the caller allow-list and the script limits.
/// A script that fails, loops or overflows gets a failure result; the runner and its threads go on.
/// Workers call `runHere` on their own dedicated threads; `run` starts a thread for one task.
public final class ScriptRunner: Sendable {
    public let dataDirectory: String
    /// Stack of the threads scripts run on; `runHere` needs a thread with at least this much.
    public let stackSize: Int
    private let policies: @Sendable (String) -> CirclePolicy
    private let engines = Mutex<[String: CircleEngine]>([:])

    /// Scripts run on threads of `stackSize` bytes; `policies` gives each circle's policy.
    public init(dataDirectory: String, stackSize: Int = 32 << 20,
                policies: @escaping @Sendable (String) -> CirclePolicy = { _ in CirclePolicy() }) {
        self.dataDirectory = dataDirectory
        self.stackSize = stackSize
        self.policies = policies
    }

    /// Runs `task` on a new thread and returns its result; every failure is a `ScriptFailure`.
    public func run(_ task: ScriptTask) async -> TaskResult {
        await DedicatedThread.run("circles-script", stackSize: stackSize, nice: 5) { [self] in runHere(task) }
    }

    /// Runs `task` on the calling thread, a dedicated one with `stackSize` bytes of stack (never a
    /// thread of the cooperative pool), and returns its result. Cancelling `cancellation` stops the
    /// script as its time limit does (a `timeout` failure).
    public func runHere(_ task: ScriptTask, cancellation: Cancellation = Cancellation()) -> TaskResult {
        let policy = policies(task.circle)
        guard policy.admits(task.caller) else {
            let failure = ScriptFailure(kind: .denied, message: "caller \(task.caller) may not run scripts in this circle")
            return TaskResult(taskId: task.id, outcome: .failure(failure))
        }
        let engine: CircleEngine
        do {
            engine = try self.engine(for: task.circle, policy: policy)
        } catch {
            return TaskResult(taskId: task.id, outcome: .failure(ScriptFailure(kind: .runtime, message: "\(error)")))
        }
        let timeout = task.timeout ?? policy.limits.timeout
        let deadline = DeadlineTimer.shared.schedule(after: timeout) { [weak cancellation] in cancellation?.cancel() }
        defer { deadline.cancel() }
        return engine.execute(task, cancellation: cancellation, timeout: timeout, stackSize: stackSize)
    }

    private func engine(for circle: String, policy: CirclePolicy) throws(NamespaceError) -> CircleEngine {
        if let cached = engines.withLock({ $0[circle] }), cached.policy == policy { return cached }
        let created = CircleEngine(namespace: try PeerNamespace(base: dataDirectory, circle: circle), policy: policy)
        engines.withLock { $0[circle] = created }
        return created
    }
}
