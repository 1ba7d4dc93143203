import Logging
import Supervision
import Transport

/// Runs a `TaskWorker` as a supervised service. A queue outage (Redis down) is not a crash: the worker
/// waits with backoff and takes tasks again when the queue is back. A graceful stop lets the running
/// scripts finish; past the shutdown timeout they are stopped and their tasks given back.
final class WorkerService: Service {
    let worker: TaskWorker
    private let release: @Sendable () -> Void
    private let logger: Logger

    /// `release` wakes the worker's pending `take` calls when it stops.
    init(worker: TaskWorker, logger: Logger, release: @escaping @Sendable () -> Void) {
        self.worker = worker
        self.logger = logger
        self.release = release
    }

    /// A worker `id` taking the tasks of `circles` (nil: every circle) from Redis through its own
    /// `RedisTaskSource` (heartbeats and reaping start now; a stop closes the source).
    static func overRedis(id: String, client: RedisClient, options: RedisTaskSource.Options = RedisTaskSource.Options(),
                          runner: ScriptRunner, circles: Set<String>?, concurrency: Int, logger: Logger) -> WorkerService {
        let source = RedisTaskSource(client: client, options: options)
        source.start(worker: id)
        let worker = TaskWorker(id: id, source: source, runner: runner, circles: circles, concurrency: concurrency)
        return WorkerService(worker: worker, logger: logger) { source.close() }
    }

    func run() async throws {
        var delay = 0.05
        while true {
            do throws(QueueError) {
                try await worker.run()
                let givenBack = worker.givenBack
                if givenBack > 0 { logger.notice("worker \(worker.id) stopped; \(givenBack) task(s) given back to their queues") }
                return
            } catch {
                guard case .unavailable = error, !Task.isCancelled else { throw error }
                logger.warning("worker \(worker.id): \(error); retrying in \(delay) s")
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                delay = min(delay * 2, 2)
            }
        }
    }

    func shutdown() async {
        worker.stop()
        release()
    }
}
