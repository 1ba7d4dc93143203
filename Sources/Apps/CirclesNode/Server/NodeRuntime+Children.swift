import Supervision
import Synchronization

extension NodeRuntime {
    /// The root's children, started in this order and stopped in reverse: the nonce store, the queue's
    /// maintenance, the workers, the sessions' dynamic supervisor, the listener.
    func children() -> [ChildSpec] {
        var specs: [ChildSpec] = nonces.map { .actor($0.name ?? "nonces", $0) }
        specs.append(queueChild())
        if let runner { specs.append(workersChild(runner)) }
        // The first run's supervisor exists before the tree starts, so that connections accepted
        // right after binding queue their sessions until it runs.
        let (sessions, maxChildren) = (self.sessions, options.maxConnections)
        let first = ValueCell(Supervisor("sessions", strategy: .dynamic(maxChildren: maxChildren)))
        sessions.set(first.current)
        specs.append(.supervisor("sessions", shutdown: .graceful(timeout: .seconds(5))) {
            let supervisor = first.take() ?? Supervisor("sessions", strategy: .dynamic(maxChildren: maxChildren))
            sessions.set(supervisor)
            return supervisor
        })
        let drain = Duration.milliseconds(Int(options.shutdownDeadline * 1000)) + .seconds(5)
        specs.append(.service("listener", shutdown: .graceful(timeout: drain)) { ListenerService(runtime: self) })
        return specs
    }

    private func queueChild() -> ChildSpec {
        if let embedded {
            return .service("queue") { StoppableService { await embedded.maintain() } }
        }
        let gateway = queue as? RedisTaskQueue
        return .service("queue") {
            StoppableService {
                gateway?.start()
                defer { gateway?.stop() }
                do {
                    try await StoppableService.parked()
                } catch {
                    // Stopping, after the sessions: plays still queued have no caller any more.
                    if let gateway { await Task { await gateway.withdrawPending() }.value }
                    throw error
                }
            }
        }
    }

    private func workersChild(_ runner: ScriptRunner) -> ChildSpec {
        let generation = Atomic<Int>(0)
        let prefix = "node-" + ScriptTask.newId()
        let (embedded, redis, logger, metrics) = (self.embedded, self.redis, self.logger, self.metrics)
        let (concurrency, circles) = (options.workerConcurrency, Set(self.circles.keys))
        var sourceOptions = RedisTaskSource.Options()
        sourceOptions.secret = options.taskSecret
        sourceOptions.acceptUnsignedTasks = options.acceptUnsignedTasks
        sourceOptions.waitReplicas = options.redisWaitReplicas
        return .service("workers", shutdown: .graceful(timeout: .seconds(max(10, options.playTimeout)))) { [generation, sourceOptions] in
            let run = generation.add(1, ordering: .relaxed).newValue
            let id = "\(prefix)-\(run)"
            if let embedded {
                if run > 1 { embedded.abandon(worker: "\(prefix)-\(run - 1)") }
                let worker = TaskWorker(id: id, source: embedded, runner: runner, concurrency: concurrency,
                                        onEvent: WorkerService.observer(id, logger, metrics: metrics))
                return WorkerService(worker: worker, logger: logger) { embedded.release(worker: id) }
            }
            var options = sourceOptions
            options.dataDirectory = runner.dataDirectory
            return WorkerService.overRedis(id: id, client: redis!, options: options, runner: runner, circles: circles, concurrency: concurrency,
                                           logger: logger, metrics: metrics)
        }
    }
}
