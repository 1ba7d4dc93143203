#if canImport(Glibc)
import Glibc
#endif
import CirclesCore
import Synchronization
import Transport

/// The gateway's side of the rhailib protocol over Redis: queue a task (one pipelined round trip) and
/// wait for its result. Results come back on this gateway's own reply list, read by one blocking
/// connection, so any number of plays in flight share the small command pool plus that one connection.
/// When Redis is unreachable, `submit` fails at once with `.unavailable`, and plays in flight fail as
/// soon as the reply connection is lost; the node reconnects by itself.
public final class RedisTaskQueue: TaskQueue {
    public let gatewayId: String
    public let completedTTL: Int
    private let client: RedisClient
    private let pending = Mutex<[String: CheckedContinuation<Result<TaskResult, QueueError>, Never>]>([:])
    private let collector = Mutex<Task<Void, Never>?>(nil)

    public init(client: RedisClient, gatewayId: String = "gw-" + ScriptTask.newId(), completedTTL: Int = 3600) {
        self.client = client
        self.gatewayId = gatewayId
        self.completedTTL = completedTTL
    }

    /// Starts reading results; call once before submitting.
    public func start() {
        let task = Task { await self.collect() }
        collector.withLock { $0 = task }
    }

    public func stop() {
        collector.withLock { $0?.cancel() }
        failAll(.shuttingDown)
    }

    public func submit(_ task: ScriptTask, timeout: Double) async throws(QueueError) -> TaskResult {
        let now = String(Int64(Self.wallClock()))
        let fields: [String] = [
            "HSET", RedisTaskKeys.task(task.id), "script", task.script, "caller_id", task.caller, "context_id", task.circle,
            "status", TaskStatus.pending.rawValue, "created_at", now, "updated_at", now, "deliveries", "0",
            "reply_to", RedisTaskKeys.gatewayReplies(gatewayId), "constants", JSON.object(task.constants).serialized,
            "timeout", task.timeout.map { String($0) } ?? "",
        ]
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<TaskResult, QueueError>, Never>) in
            pending.withLock { $0[task.id] = continuation }
            Task {
                do {
                    let replies = try await client.pipeline([
                        fields, ["SADD", RedisTaskKeys.circles, task.circle], ["LPUSH", RedisTaskKeys.queue(task.circle), task.id],
                    ])
                    if case .error(let message) = replies.first(where: { if case .error = $0 { true } else { false } }) {
                        resolve(task.id, .failure(.unavailable("Redis refused the task: \(message)")))
                    }
                } catch {
                    resolve(task.id, .failure(.unavailable("\(error)")))
                }
            }
            Task {
                try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
                resolve(task.id, .failure(.timedOut(seconds: timeout)))
            }
        }
        return try result.get()
    }

    public func depth(of circle: String) async -> Int {
        Int((try? await client.send(["LLEN", RedisTaskKeys.queue(circle)]))?.integer ?? 0)
    }

    /// Tasks this gateway waits for.
    public var inFlight: Int { pending.withLock { $0.count } }

    private func resolve(_ id: String, _ result: Result<TaskResult, QueueError>) {
        let waiter = pending.withLock { $0.removeValue(forKey: id) }
        waiter?.resume(returning: result)
    }

    private func failAll(_ error: QueueError) {
        let waiters = pending.withLock { pending in
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        for waiter in waiters { waiter.resume(returning: .failure(error)) }
    }

    /// Reads this gateway's reply list with BRPOP on a dedicated connection, reconnecting as needed.
    private func collect() async {
        let list = RedisTaskKeys.gatewayReplies(gatewayId)
        var connection: RedisConnection?
        while !Task.isCancelled {
            do {
                if connection == nil || connection?.isAlive == false { connection = try await client.dedicated() }
                let reply = try await connection!.send(["BRPOP", list, "1"])
                guard let pair = reply.array, pair.count == 2, let text = pair[1].string,
                    let json = try? JSONParser.parse(text), let result = TaskResult(json: json)
                else { continue }
                resolve(result.taskId, .success(result))
                Task { _ = try? await client.send(["DEL", RedisTaskKeys.reply(result.taskId)]) }
            } catch {
                connection?.close()
                connection = nil
                failAll(.unavailable("\(error)"))
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        connection?.close()
    }

    static func wallClock() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
