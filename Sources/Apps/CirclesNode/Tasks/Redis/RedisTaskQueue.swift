import Actors
import CirclesCore
import Synchronization
import Transport
import Threads

/// The gateway's side of the rhailib protocol over Redis: queue a task (one pipelined round trip) and
/// hand its result to the caller's completion. Results come back on this gateway's own reply lists,
/// one per event loop, each read by one blocking connection living on that loop, so any number of
/// plays in flight share the small command pool plus one connection per loop, and a result reaches
/// the loop of the session that submitted it (no hop between loops). Both the submission and the
/// reading run as callbacks on the event loops (no task is suspended per play). When Redis is
/// unreachable, `submit` fails at once with `.unavailable`. A reply connection that drops is replaced
/// at once: if Redis answers, the plays in flight go on waiting (their results wait in the reply list,
/// and one whose reply was lost with the connection is read from its task hash); if it does not, they
/// fail at once. The gateway reconnects by itself. Timeouts are enforced by the reading loop, within
/// about a quarter second; a timed-out task no worker has taken yet is withdrawn (it never runs).
package final class RedisTaskQueue: TaskQueue {
    private struct Waiting {
        var completion: @Sendable (Result<TaskResult, QueueError>) -> Void
        var deadline: Double
        var timeout: Double
        /// Which reply list (loop) the result comes back on.
        var reader: Int
    }

    private struct State {
        var pending: [String: Waiting] = [:]
        var running = false
        /// The connection reading each loop's reply list, while there is one.
        var readers: [Int: RedisConnection] = [:]
        var nextSweep = 0.0
        /// Where the next BRPOP starts in the list of compat tasks (more than `maxCompatKeys` take turns).
        var compatRotation = 0
    }

    package let gatewayId: String
    package let completedTTL: Int
    private let client: RedisClient
    private let state = Mutex(State())
    private let loops: [EventLoop]
    /// How long a circle's turn stays reserved for the next parked task when a withdrawal passes it on
    /// (the workers' visibility timeout is not known here; a lost reservation only delays that circle).
    static let reservationMilliseconds = "10000"
    /// How long one BRPOP waits (seconds): the granularity of timeouts while nothing comes back.
    private static let pollSeconds = 0.25

    /// Signs each task (`TaskSignature`); nil writes unsigned tasks, which only workers started with
    /// `--accept-unsigned-tasks` run.
    private let secret: TaskSecret?
    /// Tasks name no `reply_to`; their results are read from `rhailib:reply:{task_id}`, where an
    /// original rhailib worker (and ours) answers such a task.
    package let rhailibCompat: Bool
    /// Task reply lists one BRPOP watches at most, besides the gateway's own list.
    static let maxCompatKeys = 1000

    package init(client: RedisClient, gatewayId: String = "gw-" + ScriptTask.newId(), completedTTL: Int = 3600, secret: TaskSecret? = nil,
                rhailibCompat: Bool = false) {
        self.rhailibCompat = rhailibCompat
        self.client = client
        self.secret = secret
        self.gatewayId = gatewayId
        self.completedTTL = completedTTL
        loops = client.loops
    }

    /// The reply list read on loop `index`.
    func replyList(_ index: Int) -> String { RedisTaskKeys.gatewayReplies("\(gatewayId)-\(index)") }

    /// Starts reading results; call once before submitting.
    package func start() {
        state.withLock { $0.running = true }
        for index in loops.indices { connectReader(index, after: 0) }
    }

    package func stop() {
        let readers = state.withLock { state in
            state.running = false
            defer { state.readers = [:] }
            return Array(state.readers.values)
        }
        for reader in readers { reader.close() }
        failAll(.shuttingDown)
    }

    package func submit(_ task: ScriptTask, timeout: Double, completion: @escaping @Sendable (Result<TaskResult, QueueError>) -> Void) {
        let now = String(Int64(SystemTime.wall()))
        // The result comes back on the caller's loop (a session's), when it runs on one.
        let reader = loops.firstIndex { $0.inLoop } ?? 0
        var fields: [String] = [
            "HSET", RedisTaskKeys.task(task.id), "script", task.script, "caller_id", task.caller, "context_id", task.circle,
            "status", TaskStatus.pending.rawValue, "created_at", now, "updated_at", now, "deliveries", "0",
            "constants", JSON.object(task.constants).serialized,
            "timeout", task.timeout.map { String($0) } ?? "", "queued_at", String(SystemTime.wall()),
        ]
        if !rhailibCompat { fields += ["reply_to", replyList(reader)] }
        if let secret { fields += [TaskSignature.field, TaskSignature.sign(Self.signed(fields, id: task.id), secret: secret)] }
        state.withLock {
            $0.pending[task.id] = Waiting(completion: completion, deadline: SystemTime.monotonic() + timeout, timeout: timeout, reader: reader)
        }
        var commands = [fields, ["SADD", RedisTaskKeys.circles, task.circle], ["LPUSH", RedisTaskKeys.queue(task.circle), task.id]]
        // The reader's BRPOP does not watch this task's reply list yet: an empty entry wakes it to
        // start again with it.
        if rhailibCompat { commands.append(["LPUSH", replyList(reader), ""]) }
        client.pipeline(commands) {
            [self] outcome in
            switch outcome {
            case .success(let replies):
                if case .error(let message) = replies.first(where: { if case .error = $0 { true } else { false } }) {
                    resolve(task.id, .failure(.unavailable("Redis refused the task: \(message)")))
                }
            case .failure(let error):
                resolve(task.id, .failure(.unavailable("\(error)")))
            }
        }
    }

    /// The signed fields of an HSET command (name, value pairs after the key).
    static func signed(_ command: [String], id: String) -> [String: String] {
        var values = ["id": id]
        var index = 2
        while index + 1 < command.count {
            values[command[index]] = command[index + 1]
            index += 2
        }
        return values
    }

    /// Tasks waiting in `circle`'s queue and parked behind its running task.
    package func depth(of circle: String) async -> Int {
        let replies = try? await client.pipeline([["LLEN", RedisTaskKeys.queue(circle)], ["LLEN", RedisTaskKeys.parked(circle)]])
        return (replies ?? []).reduce(0) { $0 + Int($1.integer ?? 0) }
    }

    /// Tasks this gateway waits for.
    package var inFlight: Int { state.withLock { $0.pending.count } }

    private func resolve(_ id: String, _ result: Result<TaskResult, QueueError>) {
        let waiting = state.withLock { $0.pending.removeValue(forKey: id) }
        waiting?.completion(result)
    }

    /// Fails the plays waiting on reader `index` (all of them when nil).
    private func failAll(_ error: QueueError, reader index: Int? = nil) {
        let waiting = state.withLock { Self.removePending(from: &$0) { index == nil || $0.reader == index } }
        for (_, entry) in waiting { entry.completion(.failure(error)) }
    }

    /// Fails the plays whose timeout has passed (at most every 0.1 s).
    private func sweep() {
        let now = SystemTime.monotonic()
        let expired: [(String, Waiting)] = state.withLock { state in
            guard now >= state.nextSweep else { return [] }
            state.nextSweep = now + 0.1
            return Self.removePending(from: &state) { $0.deadline <= now }
        }
        for (_, entry) in expired { entry.completion(.failure(.timedOut(seconds: entry.timeout))) }
        guard !expired.isEmpty else { return }
        let withdrawn = expired.map { ($0.0, "the caller stopped waiting after \($0.1.timeout) s") }
        Task { await withdraw(withdrawn) }
    }

    /// Withdraws every task this gateway still waits for that no worker took yet: for a stopping node,
    /// whose sessions (the callers) are gone. The plays themselves are failed by `stop()`.
    package func withdrawPending() async {
        await withdraw(state.withLock { $0.pending.keys.map { ($0, "the node stopped") } })
    }

    /// Withdraws each task from its queue, with its reason, unless a worker took it: nobody waits for
    /// its result any more. One pipeline.
    private func withdraw(_ tasks: [(id: String, reason: String)]) async {
        guard !tasks.isEmpty else { return }
        let now = String(Int64(SystemTime.wall()))
        let calls = tasks.map { task in
            ([RedisTaskKeys.task(task.id)], [task.id, ScriptFailure.withdrawn(because: task.reason).json.serialized, now, String(completedTTL),
                                              Self.reservationMilliseconds])
        }
        _ = try? await client.run(RedisTaskScripts.withdraw, calls: calls)
    }

    /// Takes the waiting plays `picked` chooses out of `state`.
    private static func removePending(from state: inout State, where picked: (Waiting) -> Bool) -> [(String, Waiting)] {
        let ids = state.pending.filter { picked($0.value) }.map(\.key)
        return ids.compactMap { id in state.pending.removeValue(forKey: id).map { (id, $0) } }
    }

    /// Connects reader `index` (after `delay` seconds) and listens; after a lost connection
    /// (`recovering`), first answers the plays whose results came while it was down.
    private func connectReader(_ index: Int, after delay: Double, recovering: Bool = false) {
        Task {
            if delay > 0 { try? await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
            guard state.withLock({ $0.running }) else { return }
            do throws(RedisError) {
                let connection = try await client.dedicated(on: loops[index])
                let kept = state.withLock { state -> Bool in
                    guard state.running else { return false }
                    state.readers[index] = connection
                    return true
                }
                guard kept else { return connection.close() }
                if recovering { await recoverResults(reader: index) }
                listen(on: connection, index)
            } catch {
                failAll(.unavailable("\(error)"), reader: index)
                sweep()
                connectReader(index, after: 0.1)
            }
        }
    }

    /// Resolves the plays waiting on reader `index` whose tasks are already final: a result popped by
    /// a BRPOP whose answer was lost with its connection is still in the task's hash.
    private func recoverResults(reader index: Int) async {
        let ids = state.withLock { $0.pending.filter { $0.value.reader == index }.map(\.key) }
        guard !ids.isEmpty,
            let replies = try? await client.pipeline(ids.map { ["HMGET", RedisTaskKeys.task($0), "status", "output", "error"] })
        else { return }
        for (id, reply) in zip(ids, replies) {
            guard let fields = reply.array?.map(\.string), fields.count == 3 else { continue }
            if fields[0] == TaskStatus.completed.rawValue {
                resolve(id, .success(TaskResult(taskId: id, outcome: .success(fields[1] ?? ""))))
            } else if fields[0] == TaskStatus.error.rawValue,
                let failure = fields[2].flatMap({ try? JSONParser.parse($0) }).flatMap(ScriptFailure.init(json:))
            {
                resolve(id, .success(TaskResult(taskId: id, outcome: .failure(failure))))
            }
        }
    }

    /// One BRPOP on reply list `index`, then again from its callback, until the connection ends or
    /// the gateway stops.
    /// The lists reader `index` waits on: the gateway's own, and in compat mode the reply lists of its
    /// tasks in flight (at most `maxCompatKeys`, taking turns when there are more).
    private func replyKeys(_ index: Int) -> [String] {
        guard rhailibCompat else { return [replyList(index)] }
        let ids: [String] = state.withLock { state in
            let all = state.pending.filter { $0.value.reader == index }.map(\.key).sorted()
            guard all.count > Self.maxCompatKeys else { return all }
            state.compatRotation = (state.compatRotation + Self.maxCompatKeys) % all.count
            let start = state.compatRotation
            return (0..<Self.maxCompatKeys).map { all[(start + $0) % all.count] }
        }
        return [replyList(index)] + ids.map(RedisTaskKeys.reply)
    }

    private func listen(on connection: RedisConnection, _ index: Int) {
        connection.pipeline([["BRPOP"] + replyKeys(index) + [String(Self.pollSeconds)]]) { [self] outcome in
            var failure: String?
            switch outcome {
            case .success(let replies):
                if case .error(let message) = replies.last {
                    failure = message
                } else if let pair = replies.last?.array, pair.count == 2, let text = pair[1].string,
                    let json = try? JSONParser.parse(text), let result = TaskResult(json: json)
                {
                    resolve(result.taskId, .success(result))
                }
            case .failure(let error):
                failure = "\(error)"
            }
            sweep()
            let current = state.withLock { state -> Bool in
                guard state.readers[index] === connection else { return false }
                if failure != nil { state.readers[index] = nil }
                return state.running
            }
            guard current else { return }
            if failure != nil {
                // Reconnect at once; the plays in flight fail only if Redis does not answer.
                connection.close()
                connectReader(index, after: 0, recovering: true)
            } else {
                listen(on: connection, index)
            }
        }
    }
}
