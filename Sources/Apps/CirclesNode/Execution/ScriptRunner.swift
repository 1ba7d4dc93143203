import CirclesCore
import Rhai
import Synchronization

/// Runs tasks in their circle's context (SPEC section 6) on dedicated threads: the context constants,
/// the data functions confined to the circle's namespace, the caller allow-list and the script limits.
/// A script that fails, loops or overflows gets a failure result; the runner and its threads go on.
public final class ScriptRunner: Sendable {
    public let dataDirectory: String
    private let pool: ThreadPool
    private let stackSize: Int
    private let policies: @Sendable (String) -> CirclePolicy
    private let engines = Mutex<[String: CircleEngine]>([:])

    /// Scripts run on `threads` threads of `stackSize` bytes; `policies` gives each circle's policy.
    public init(dataDirectory: String, threads: Int, stackSize: Int = 32 << 20,
                policies: @escaping @Sendable (String) -> CirclePolicy = { _ in CirclePolicy() }) {
        self.dataDirectory = dataDirectory
        self.stackSize = stackSize
        self.policies = policies
        pool = ThreadPool(threads: threads, stackSize: stackSize)
    }

    public var threadCount: Int { pool.threadCount }
    /// Tasks waiting for a script thread.
    public var backlog: Int { pool.queued }

    public func shutdown() { pool.shutdown() }

    /// Runs `task` and returns its result; never throws: every failure is a `ScriptFailure`.
    public func run(_ task: ScriptTask) async -> TaskResult {
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
        let cancellation = Cancellation()
        let timeout = task.timeout ?? policy.limits.timeout
        let timer = Task {
            try await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
            cancellation.cancel()
        }
        defer { timer.cancel() }
        let stackSize = self.stackSize
        return await pool.run {
            engine.execute(task, cancellation: cancellation, timeout: timeout, stackSize: stackSize)
        }
    }

    private func engine(for circle: String, policy: CirclePolicy) throws(NamespaceError) -> CircleEngine {
        if let cached = engines.withLock({ $0[circle] }), cached.policy == policy { return cached }
        let created = CircleEngine(namespace: try PeerNamespace(base: dataDirectory, circle: circle), policy: policy)
        engines.withLock { $0[circle] = created }
        return created
    }
}
