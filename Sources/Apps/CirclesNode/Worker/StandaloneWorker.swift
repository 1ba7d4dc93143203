import CirclesCore
import Logging
import Supervision
import Synchronization
import Transport

/// `circles worker`: a supervised consumer of the Redis task queues of one circle or of every circle,
/// running scripts on dedicated threads. Redis outages are waited out; a graceful stop finishes the
/// running scripts.
public final class StandaloneWorker: Sendable {
    public let id: String
    private let root: Supervisor
    private let runner: ScriptRunner
    private let logger: Logger

    /// Takes the tasks of `circles` (compressed public keys), or of every circle when empty. A graceful
    /// stop waits up to `shutdownDeadline` seconds for the running scripts; scripts still running then
    /// are stopped and their tasks given back to their queues, to run on another worker.
    public init(redisURL: String, circles keys: [String] = [], dataDirectory: String, concurrency: Int,
                queueOptions: RedisTaskSource.Options = RedisTaskSource.Options(), shutdownDeadline: Double = 60,
                policies: @escaping @Sendable (String) -> CirclePolicy = { _ in CirclePolicy() },
                logger: Logger = Logger(label: "circles.worker"), redisTLS: TLSClientContext? = nil) throws(NodeError) {
        guard queueOptions.secret != nil || queueOptions.acceptUnsignedTasks else { throw .taskSecretRequired }
        let client: RedisClient
        do {
            client = try RedisClient(redisURL, connections: 2, tls: redisTLS)
        } catch {
            throw .invalidRedisURL("\(error)")
        }
        var only: Set<String> = []
        for key in keys {
            do {
                only.insert(try PublicKey(hex: key).hex)
            } catch {
                throw .invalidCircle(key, reason: "\(error)")
            }
        }
        let circles = only.isEmpty ? nil : only
        let id = "worker-" + ScriptTask.newId()
        // A worker of some circles runs no other circle's task, whatever a task in its queues says.
        let runner = ScriptRunner(dataDirectory: dataDirectory, circles: circles, policies: policies)
        let generation = Atomic<Int>(0)
        root = Supervisor("worker", intensity: RestartIntensity(maxRestarts: 5, period: 10), children: [
            .service("consumer", shutdown: .graceful(timeout: .seconds(max(0, shutdownDeadline)))) {
                WorkerService.overRedis(id: "\(id)-\(generation.add(1, ordering: .relaxed).newValue)", client: client,
                                        options: queueOptions, runner: runner, circles: circles, concurrency: concurrency, logger: logger)
            },
        ], onRestart: { child, failure in logger.notice("restarting \(child)", metadata: ["child": "\(child)", "failure": "\(failure)"]) })
        self.id = id
        self.runner = runner
        self.logger = logger
    }

    /// Runs until `stop()` or one of `signals`; `onWatching` runs once `signals` are watched.
    public func run(signals: [Int32] = [], onWatching: () -> Void = {}) async throws(NodeError) {
        try await root.runAsProcessRoot(signals: signals, logger: logger, onSignal: "taking no new tasks, finishing the running ones",
                                        onWatching: onWatching)
    }

    public func stop() { root.stop() }
}
