import Actors
import Logging
import Supervision
import Synchronization
import Transport
import Threads

/// Runs a `TaskWorker` as a supervised service. A queue outage (Redis down) is not a crash: each slot
/// waits with backoff and takes tasks again when the queue is back (`errorLogger` says so). A graceful
/// stop lets the running scripts finish; past the shutdown timeout they are stopped and their tasks
/// given back.
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
                          runner: ScriptRunner, circles: Set<String>?, concurrency: Int, logger: Logger,
                          metrics: NodeMetrics? = nil) -> WorkerService {
        var options = options
        if options.waitReplicas > 0, options.onReplicaShortfall == nil {
            options.onReplicaShortfall = shortfallReporter(id, logger, wanted: options.waitReplicas, metrics: metrics)
        }
        let source = RedisTaskSource(client: client, options: options)
        source.start(worker: id)
        let worker = TaskWorker(id: id, source: source, runner: runner, circles: circles, concurrency: concurrency,
                                onEvent: observer(id, logger, metrics: metrics))
        return WorkerService(worker: worker, logger: logger) { source.close() }
    }

    /// Counts a worker's events in `metrics` (when the worker runs in a node) and logs its queue errors.
    static func observer(_ id: String, _ logger: Logger, metrics: NodeMetrics?) -> @Sendable (TaskWorker.Event) -> Void {
        let logError = errorLogger(id, logger)
        return { event in
            switch event {
            case .started(let task):
                metrics?.turnWait.observe(task.waited)
                metrics?.workerShare.began(task.circle)
            case .finished(let task, let seconds):
                metrics?.workerShare.ended(task.circle, after: seconds)
            case .recorded(let result):
                if case .success = result.outcome {
                    metrics?.workerSucceeded.increment()
                    metrics?.stateCommits.increment()
                } else {
                    metrics?.workerFailed.increment()
                    metrics?.stateAborted.increment()
                }
            case .refused(let result):
                metrics?.stateRefused.increment()
                logger.notice("worker \(id): the result of task \(result.taskId) was refused: its lease had passed to another attempt; nothing written")
            case .gaveBack:
                metrics?.workerGaveBack.increment()
            case .queueError(let error):
                metrics?.workerQueueErrors.increment()
                logError(error)
            }
        }
    }

    /// Counts a commit whose `WAIT` fell short of `wanted` replicas in `metrics` and warns: the first at
    /// once, then at most one line every 10 s with how many came in between.
    static func shortfallReporter(_ id: String, _ logger: Logger, wanted: Int, metrics: NodeMetrics?,
                                  clock: @escaping @Sendable () -> Double = { SystemTime.monotonic() }) -> @Sendable (Int) -> Void {
        let throttle = WarningThrottle()
        return { acknowledged in
            metrics?.redisWaitShortfalls.increment()
            guard let quiet = throttle.admit(at: clock()) else { return }
            logger.warning("worker \(id): WAIT got \(acknowledged) of \(wanted) replica acknowledgement(s) in time; the play was answered, but its writes may be lost in a failover\(quiet > 0 ? " (\(quiet) more shortfalls in the last 10 s)" : "")",
                           metadata: ["worker": "\(id)"])
        }
    }

    /// What a worker's slots report when the queue fails them (each retries with backoff): the first
    /// failure at once, then at most one line every 10 s with how many came in between.
    static func errorLogger(_ id: String, _ logger: Logger,
                            clock: @escaping @Sendable () -> Double = { SystemTime.monotonic() }) -> @Sendable (QueueError) -> Void {
        let throttle = WarningThrottle()
        return { error in
            guard let quiet = throttle.admit(at: clock()) else { return }
            logger.warning("worker \(id): \(error); retrying\(quiet > 0 ? " (\(quiet) more failures in the last 10 s)" : "")",
                           metadata: ["worker": "\(id)"])
        }
    }

    func run() async throws {
        await worker.run()
        let givenBack = worker.givenBack
        if givenBack > 0 {
            logger.notice("worker \(worker.id) stopped; \(givenBack) task(s) given back to their queues", metadata: ["worker": "\(worker.id)"])
        }
    }

    func shutdown() async {
        worker.stop()
        release()
    }
}
