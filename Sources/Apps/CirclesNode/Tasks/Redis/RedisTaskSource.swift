import CirclesCore
import Synchronization
import Transport

/// The worker's side of the rhailib protocol over Redis, at least once: `BLMOVE` takes a task id into
/// this worker's processing list atomically, the claim script checks and leases it, the complete script
/// records the result once. A heartbeat keeps the lease alive; when a worker dies, any worker's reaper
/// moves its leases back to their queues after the visibility timeout.
public final class RedisTaskSource: TaskSource {
    public struct Options: Sendable {
        /// Leases of a worker silent this long (seconds) are delivered again.
        public var visibilityTimeout: Double = 10
        public var maxDeliveries = 3
        public var completedTTL = 3600
        /// How long one BLMOVE blocks (seconds) before the loop looks around again.
        public var blockSeconds = 1.0

        public init() {}
    }

    public let options: Options
    private let client: RedisClient
    private let blocking = Mutex<[RedisConnection]>([])
    private let closed = Atomic<Bool>(false)
    private let maintenance = Mutex<Task<Void, Never>?>(nil)

    public init(client: RedisClient, options: Options = Options()) {
        self.client = client
        self.options = options
    }

    /// Starts heartbeats for `worker` and the reaper loop.
    public func start(worker: String) {
        let task = Task {
            while !Task.isCancelled {
                _ = try? await self.heartbeat(worker: worker)
                _ = try? await self.reap()
                try? await Task.sleep(for: .milliseconds(Int(self.options.visibilityTimeout * 1000 / 3)))
            }
        }
        maintenance.withLock { $0 = task }
    }

    /// Stops taking tasks; a `take` in progress returns nil within `blockSeconds`.
    public func close() {
        closed.store(true, ordering: .relaxed)
        maintenance.withLock { $0?.cancel() }
    }

    public func heartbeat(worker: String) async throws(QueueError) {
        _ = try await run(["ZADD", RedisTaskKeys.workers, String(Int64(RedisTaskQueue.wallClock())), worker])
    }

    /// Re-queues the leases of workers silent for longer than the visibility timeout; returns how many.
    @discardableResult
    public func reap() async throws(QueueError) -> Int {
        let oldest = String(Int64(RedisTaskQueue.wallClock() - options.visibilityTimeout))
        return Int(try await run(["EVAL", RedisTaskScripts.reap, "1", RedisTaskKeys.workers, oldest]).integer ?? 0)
    }

    public func take(circles: Set<String>?, worker: String) async throws(QueueError) -> ScriptTask? {
        let connection = try await checkout()
        defer { checkin(connection) }
        while !closed.load(ordering: .relaxed) {
            let candidates: [String]
            if let circles {
                candidates = circles.sorted()
            } else {
                candidates = (try await run(["SMEMBERS", RedisTaskKeys.circles]).array ?? []).compactMap(\.string).sorted()
            }
            guard !candidates.isEmpty else {
                try? await Task.sleep(for: .milliseconds(Int(options.blockSeconds * 1000)))
                continue
            }
            let processing = RedisTaskKeys.processing(worker)
            var id: String?
            if candidates.count == 1 {
                id = try await blockingMove(connection, from: candidates[0], to: processing)
            } else {
                for circle in candidates where id == nil {
                    id = try await run(["LMOVE", RedisTaskKeys.queue(circle), processing, "RIGHT", "LEFT"]).string
                }
                if id == nil { id = try await blockingMove(connection, from: candidates[0], to: processing) }
            }
            guard let id else { continue }
            if let task = try await claim(id, worker: worker) { return task }
        }
        return nil
    }

    @discardableResult
    public func complete(_ result: TaskResult, worker: String) async throws(QueueError) -> Bool {
        let now = String(Int64(RedisTaskQueue.wallClock()))
        let output: String
        let error: String
        switch result.outcome {
        case .success(let value):
            output = value
            error = ""
        case .failure(let failure):
            output = ""
            error = failure.json.serialized
        }
        let recorded = try await run([
            "EVAL", RedisTaskScripts.complete, "3", RedisTaskKeys.task(result.taskId), RedisTaskKeys.processing(worker),
            RedisTaskKeys.reply(result.taskId), result.taskId, result.status.rawValue, output, error, now,
            String(options.completedTTL), result.json.serialized,
        ])
        return recorded.integer == 1
    }

    private func blockingMove(_ connection: RedisConnection, from circle: String, to processing: String) async throws(QueueError) -> String? {
        do {
            return try await connection.send(["BLMOVE", RedisTaskKeys.queue(circle), processing, "RIGHT", "LEFT",
                                              String(options.blockSeconds)]).string
        } catch {
            throw .unavailable("\(error)")
        }
    }

    private func claim(_ id: String, worker: String) async throws(QueueError) -> ScriptTask? {
        let circle = try await run(["HGET", RedisTaskKeys.task(id), "context_id"]).string ?? ""
        let dead = TaskResult(taskId: id, outcome: .failure(ScriptFailure(
            kind: .runtime, message: "task abandoned after \(options.maxDeliveries) deliveries; moved to the dead-letter list")))
        let reply = try await run([
            "EVAL", RedisTaskScripts.claim, "4", RedisTaskKeys.task(id), RedisTaskKeys.processing(worker), RedisTaskKeys.dead(circle),
            RedisTaskKeys.reply(id), id, String(Int64(RedisTaskQueue.wallClock())), String(options.maxDeliveries), worker,
            String(options.completedTTL), dead.json.serialized,
        ])
        guard let fields = reply.array?.compactMap(\.string), fields.first == "run", fields.count == 6 else { return nil }
        let constants = (try? JSONParser.parse(fields[4]))?.objectValue ?? [:]
        return ScriptTask(id: id, circle: fields[3], caller: fields[2], script: fields[1], constants: constants,
                          createdAt: RedisTaskQueue.wallClock(), timeout: Double(fields[5]))
    }

    private func run(_ command: [String]) async throws(QueueError) -> RedisValue {
        do {
            return try await client.send(command)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    private func checkout() async throws(QueueError) -> RedisConnection {
        if let ready = blocking.withLock({ $0.popLast() }), ready.isAlive { return ready }
        do {
            return try await client.dedicated()
        } catch {
            throw .unavailable("\(error)")
        }
    }

    private func checkin(_ connection: RedisConnection) {
        guard connection.isAlive else { return }
        blocking.withLock { $0.append(connection) }
    }
}
