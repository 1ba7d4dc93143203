import Actors
#if canImport(Glibc)
import Glibc
#endif
import CirclesCore
import Synchronization
import Transport
import Threads

/// The worker's side of the rhailib protocol over Redis, at least once: `BLMOVE` takes a task id into
/// this worker's `taken` list atomically, and the claim script pipelined behind it checks the task and
/// moves it to the processing list (its lease), taking the circle's turn, in the same round trip; the
/// complete script records the result once and commits the task's writes with it, fenced by the
/// lease token. A heartbeat keeps the leases alive and the worker renews the turns of its running
/// tasks; when a worker dies, any worker's reaper moves its leases back to their queues after the
/// visibility timeout. Tasks read their circle's data (`rhailib:data:{circle}`) through `storage`.
public final class RedisTaskSource: TaskSource {
    public struct Options: Sendable {
        /// Leases of a worker silent this long (seconds) are delivered again.
        public var visibilityTimeout: Double = 10
        public var maxDeliveries = 3
        /// A circle's dead-letter list keeps the newest this many task ids.
        public var deadLetterCapacity = 10_000
        public var completedTTL = 3600
        /// How long one BLMOVE blocks (seconds) before the loop looks around again.
        public var blockSeconds = 1.0
        /// How long one BLMOVE blocks while fewer slots wait than there are queues (the claim behind
        /// each BLMOVE looks at every queue): the longest a task on a queue no slot waits on goes unseen.
        public var sharedBlockSeconds = 0.05
        /// Those short blocks last longer when needed to keep the claims of this source's waiting slots
        /// under this many queue looks per second (a worker of very many circles), never longer than
        /// `blockSeconds`.
        public var sharedLooksPerSecond = 2_000.0
        /// Tasks must carry a signature (`TaskSignature`) that verifies under this secret ...
        public var secret: TaskSecret?
        /// ... unless unsigned tasks (original rhailib clients) are accepted.
        public var acceptUnsignedTasks = false
        /// Where the circles' namespaces are: data files of the earlier layout found there are imported
        /// into Redis once (nil: no import).
        public var dataDirectory: String?
        /// After a completion (and its writes) is recorded, `WAIT` until this many replicas have it
        /// before the reply is pushed, so an answered play's writes outlive a failover (0: no wait).
        public var waitReplicas = 0
        /// How long that `WAIT` may take (seconds); a reply is pushed anyway after it, with a warning.
        public var waitTimeout = 1.0
        /// Called (on the worker's thread) with the acknowledgements a `WAIT` got when they were fewer
        /// than `waitReplicas` (the reply is pushed all the same).
        public var onReplicaShortfall: (@Sendable (_ acknowledged: Int) -> Void)?
        /// Without a circle list: how often (seconds) the queues present in Redis are looked for
        /// (`SCAN` for `rhailib:{66 hex}` lists), besides the circles gateways announce.
        public var discoveryInterval = 5.0

        public init() {}
    }

    /// What the slots in `take` block on now.
    private struct Blocks {
        /// Slots in `take` now.
        var takers = 0
        /// How many slots block on each queue.
        var watchers: [String: Int] = [:]
        /// Connections in a block, with their Redis client ids (for `CLIENT UNBLOCK`: `close` wakes all of
        /// them, `leaving` the long blocks of several queues).
        var blocked: [ObjectIdentifier: (clientId: Int, long: Bool)] = [:]
        /// Redis client ids of this source's connections.
        var clientIds: [ObjectIdentifier: Int] = [:]
    }

    package let options: Options
    /// Circles whose queues a `SCAN` found, and when to look again.
    private let discovered = Mutex<(circles: Set<String>, next: Double)>(([], 0))
    /// The most circles discovery remembers.
    static let maxDiscovered = 100_000
    /// Completions whose `WAIT` returned fewer replicas than `waitReplicas` asks for.
    package let replicaShortfalls = Atomic<Int>(0)
    private let client: RedisClient
    /// Connections of the worker threads (each holds one while it takes or completes a task).
    private let idle = Mutex<[any WorkerConnection]>([])
    private let closed = Atomic<Bool>(false)
    /// Where the search for the least watched queue starts (so that ties go round the queues).
    private let rotation = Atomic<Int>(0)
    private let blocks = Mutex(Blocks())
    private let maintenance = Mutex<Task<Void, Never>?>(nil)
    /// What the claim script records and answers when it dead-letters a task: the failure's JSON, and
    /// the result's JSON with `@TASK@` for the task id. They depend on the options only.
    private let deadFailure: String
    private let deadResult: String
    /// Circles whose data files this process has looked at for the one-time import.
    let imported = Mutex<Set<String>>([])

    package init(client: RedisClient, options: Options = Options()) {
        self.client = client
        self.options = options
        let failure = ScriptFailure.deadLettered(after: options.maxDeliveries)
        deadFailure = failure.json.serialized
        deadResult = TaskResult(taskId: "@TASK@", outcome: .failure(failure)).json.serialized
    }

    /// Starts heartbeats for `worker` and the reaper loop.
    package func start(worker: String) {
        let task = Task {
            while !Task.isCancelled {
                _ = try? await self.heartbeat(worker: worker)
                _ = try? await self.reap(sparing: worker)
                try? await Task.sleep(for: .milliseconds(Int(self.options.visibilityTimeout * 1000 / 3)))
            }
        }
        maintenance.withLock { $0 = task }
    }

    /// Stops taking tasks: the slots blocked in Redis are woken (`CLIENT UNBLOCK`) and a `take` in
    /// progress returns nil. A task a slot was handed at that moment is its to give back.
    package func close() {
        closed.store(true, ordering: .relaxed)
        maintenance.withLock { $0?.cancel() }
        guard blocks.withLock({ !$0.blocked.isEmpty }) else { return }
        // An UNBLOCK that reaches Redis before the slot's BLMOVE does nothing: repeat until every slot is out.
        let (client, deadline) = (self.client, SystemTime.monotonic() + options.blockSeconds)
        Task {
            while SystemTime.monotonic() < deadline {
                let ids = blocks.withLock { $0.blocked.values.map(\.clientId) }
                if ids.isEmpty { return }
                for id in ids { _ = try? await client.send(["CLIENT", "UNBLOCK", String(id)]) }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    package func heartbeat(worker: String) async throws(QueueError) {
        do {
            _ = try await client.send(["ZADD", RedisTaskKeys.workers, String(Int64(SystemTime.wall())), worker])
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// Re-queues the leases of workers silent for longer than the visibility timeout, but not those of
    /// `worker` (the caller's own: alive, even when its heartbeats were held up); returns how many.
    @discardableResult
    package func reap(sparing worker: String? = nil) async throws(QueueError) -> Int {
        let oldest = String(Int64(SystemTime.wall() - options.visibilityTimeout))
        let arguments = [oldest, leaseMilliseconds] + (worker.map { [$0] } ?? [])
        return Int(try await run(RedisTaskScripts.reap, keys: [RedisTaskKeys.workers], arguments: arguments).integer ?? 0)
    }

    package func take(circles: Set<String>?, worker: String) throws(QueueError) -> ScriptTask? {
        let connection = try checkout()
        blocks.withLock { $0.takers += 1 }
        var taking = true
        defer {
            if taking { blocks.withLock { $0.takers -= 1 } }
            checkin(connection)
        }
        var looked = false
        while !closed.load(ordering: .relaxed) {
            let candidates: [String]
            if let circles {
                candidates = circles.sorted()
            } else {
                candidates = try everyCircle(on: connection)
            }
            guard !candidates.isEmpty else {
                usleep(UInt32(options.blockSeconds * 1_000_000))
                continue
            }
            var queues = candidates.map(RedisTaskKeys.queue)
            let count = queues.count
            if count > 1, !looked {
                // Several queues: look at each once without blocking; then block on the one the fewest
                // slots wait on and let the claim behind the BLMOVE look at the others.
                looked = true
                if let task = leased(try claim(worker: worker, queues: queues, on: connection, blockingOn: nil)) {
                    taking = false
                    return leaving(with: task, queues: count, on: connection)
                }
                continue
            }
            // With fewer slots taking than queues some queue has nobody waiting on it: block briefly, so
            // that the claims behind the BLMOVEs look at every queue often.
            let clientId = try clientId(of: connection)
            guard let (index, seconds) = watch(queues, connection: connection, clientId: clientId) else { break }
            let blocking = queues.remove(at: index)
            defer { unwatch(blocking, connection: connection) }
            if let task = leased(try claim(worker: worker, queues: queues, on: connection, blockingOn: blocking, seconds: seconds)) {
                taking = false
                return leaving(with: task, queues: count, on: connection)
            }
        }
        return nil
    }

    /// A slot leaves `take` with `task`. If that leaves fewer slots taking than queues, the slots in a
    /// long block are woken (`CLIENT UNBLOCK`: their BLMOVE returns empty, the claim behind it looks
    /// at every queue) and block briefly from then on, so no queue goes unwatched for a long block.
    private func leaving(with task: ScriptTask, queues count: Int, on connection: any WorkerConnection) -> ScriptTask {
        let ids = blocks.withLock { blocks -> [Int] in
            blocks.takers -= 1
            return blocks.takers < count ? blocks.blocked.values.filter(\.long).map(\.clientId) : []
        }
        if !ids.isEmpty { _ = try? connection.pipelineBlocking(ids.map { ["CLIENT", "UNBLOCK", String($0)] }) }
        return task
    }

    /// The index of the queue in `queues` the fewest slots block on now (ties go round), counted as
    /// watched, and how long to block: `blockSeconds` while at least as many slots take as there
    /// are queues (or there is one queue), else a short block. A long block of several queues is
    /// registered with the connection's `clientId`, for `leaving` to wake; the decision and the
    /// registration happen under one lock with `leaving`'s count, so a slot cannot start a long block unseen.
    /// Every block is registered for `close` to wake; nil once the source is closed (under the same lock).
    private func watch(_ queues: [String], connection: any WorkerConnection, clientId: Int) -> (index: Int, seconds: Double)? {
        let start = rotation.add(1, ordering: .relaxed).oldValue
        return blocks.withLock { blocks in
            if closed.load(ordering: .relaxed) { return nil }
            var best = start % queues.count
            for step in 0..<queues.count {
                let index = (start + step) % queues.count
                if blocks.watchers[queues[index], default: 0] < blocks.watchers[queues[best], default: 0] { best = index }
            }
            blocks.watchers[queues[best], default: 0] += 1
            let seconds = Self.blockSeconds(takers: blocks.takers, queues: queues.count, options: options)
            blocks.blocked[ObjectIdentifier(connection)] = (clientId, long: blocks.takers >= queues.count && queues.count > 1)
            return (best, seconds)
        }
    }

    /// How long a slot blocks with `takers` slots taking from `queues` queues.
    static func blockSeconds(takers: Int, queues: Int, options: Options) -> Double {
        guard takers < queues else { return options.blockSeconds }
        let paced = Double(takers * queues) / max(1, options.sharedLooksPerSecond)
        return min(options.blockSeconds, max(options.sharedBlockSeconds, paced))
    }

    private func unwatch(_ queue: String, connection: any WorkerConnection) {
        blocks.withLock { blocks in
            blocks.watchers[queue, default: 1] -= 1
            if blocks.watchers[queue] == 0 { blocks.watchers[queue] = nil }
            blocks.blocked[ObjectIdentifier(connection)] = nil
        }
    }

    /// Slots in a long block of several queues now (tests).
    var longBlocks: Int { blocks.withLock { $0.blocked.values.count(where: \.long) } }

    /// The Redis client id of `connection` (asked once per connection).
    private func clientId(of connection: any WorkerConnection) throws(QueueError) -> Int {
        if let known = blocks.withLock({ $0.clientIds[ObjectIdentifier(connection)] }) { return known }
        let id = Int(try run(["CLIENT", "ID"], on: connection).integer ?? 0)
        blocks.withLock { $0.clientIds[ObjectIdentifier(connection)] = id }
        return id
    }

    /// A circle's turn lasts the visibility timeout unless renewed.
    var leaseMilliseconds: String { String(max(1, Int(options.visibilityTimeout * 1000))) }

    package var renewInterval: Double { options.visibilityTimeout / 3 }

    package var storage: (any CircleStorage)? { RedisStorage(source: self) }

    package func renew(_ tasks: [ScriptTask], worker: String) throws(QueueError) {
        let turns = tasks.flatMap { [$0.circle, "\($0.id):\($0.lease)"] }
        _ = try withConnection { connection throws(QueueError) in
            try run(RedisTaskScripts.renew, keys: [RedisTaskKeys.workers],
                    arguments: [String(Int64(SystemTime.wall())), worker, leaseMilliseconds] + turns, on: connection)
        }
    }

    /// Runs `body` with one of this source's connections.
    func withConnection<R>(_ body: (any WorkerConnection) throws(QueueError) -> R) throws(QueueError) -> R {
        let connection = try checkout()
        defer { checkin(connection) }
        return try body(connection)
    }

    /// Runs `command` on one of this source's connections.
    func send(_ command: [String]) throws(QueueError) -> RedisValue {
        try withConnection { connection throws(QueueError) in try run(command, on: connection) }
    }

    /// Runs `script` on one of this source's connections.
    func run(_ script: RedisScript, keys: [String], arguments: [String]) throws(QueueError) -> RedisValue {
        try withConnection { connection throws(QueueError) in try run(script, keys: keys, arguments: arguments, on: connection) }
    }

    package func complete(_ result: TaskResult, commit: TaskCommit?, worker: String) throws(QueueError) -> Completion {
        let now = String(Int64(SystemTime.wall()))
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
        var writes: [String] = []
        if case .success = result.outcome, let commit {
            for write in commit.writes {
                if let value = write.value {
                    writes += ["s", write.path, String(decoding: value, as: UTF8.self)]
                } else {
                    writes += ["d", write.path, ""]
                }
            }
        }
        var keys = [RedisTaskKeys.task(result.taskId), RedisTaskKeys.processing(worker), RedisTaskKeys.reply(result.taskId)]
        let waits = options.waitReplicas > 0
        if waits { keys.append(keys[2]) }
        let reply = result.json.serialized
        let recorded = try withConnection { connection throws(QueueError) -> RedisValue in
            let recorded = try run(RedisTaskScripts.complete, keys: keys,
                                   arguments: [result.taskId, result.status.rawValue, output, error, now,
                                               String(options.completedTTL), reply, commit?.lease ?? "",
                                               leaseMilliseconds, String(writes.count / 3)] + writes, on: connection)
            guard waits, let pair = recorded.array, pair.count == 2, let list = pair[1].string else { return recorded }
            // WAIT counts the replicas that have this connection's writes so far: the completion just recorded.
            let replies: [RedisValue]
            do {
                replies = try connection.pipelineBlocking([["WAIT", String(options.waitReplicas), String(Int(options.waitTimeout * 1000))],
                                                           ["LPUSH", list, reply], ["EXPIRE", list, String(options.completedTTL)]])
            } catch {
                throw .unavailable("\(error)")
            }
            if let acknowledged = replies.first?.integer, acknowledged < options.waitReplicas {
                replicaShortfalls.add(1, ordering: .relaxed)
                options.onReplicaShortfall?(Int(acknowledged))
            }
            return .integer(1)
        }
        switch recorded.integer {
        case 1: return .recorded
        case -1: return .refused
        default: return .ignored
        }
    }

    package func giveBack(_ task: ScriptTask, worker: String) throws(QueueError) {
        let connection = try checkout()
        defer { checkin(connection) }
        _ = try run(RedisTaskScripts.giveBack, keys: [RedisTaskKeys.task(task.id), RedisTaskKeys.processing(worker)],
                    arguments: [task.id, String(Int64(SystemTime.wall())), leaseMilliseconds], on: connection)
    }

    /// Runs the claim script, which looks at `queues` without blocking. With `blockingOn`, it runs
    /// pipelined behind a BLMOVE from that queue into this worker's `taken` list, so that waiting,
    /// taking and leasing cost one round trip.
    private func claim(worker: String, queues: [String], on connection: any WorkerConnection,
                       blockingOn blocking: String?, seconds: Double = 0) throws(QueueError) -> (value: RedisValue, token: String) {
        let keys = [RedisTaskKeys.taken(worker), RedisTaskKeys.processing(worker)]
        let token = RandomHex.make(words: 1)
        let arguments = [String(Int64(SystemTime.wall())), String(options.maxDeliveries), worker, String(options.completedTTL),
                         deadFailure, deadResult, String(max(1, options.deadLetterCapacity)), token,
                         leaseMilliseconds] + queues
        guard let blocking else { return (try run(RedisTaskScripts.claim, keys: keys, arguments: arguments, on: connection), token) }
        let replies: [RedisValue]
        do {
            replies = try connection.pipelineBlocking([
                ["BLMOVE", blocking, keys[0], "RIGHT", "LEFT", String(seconds)],
                RedisTaskScripts.claim.evalSHA(keys: keys, arguments: arguments),
            ])
        } catch {
            throw .unavailable("\(error)")
        }
        if case .error(let message) = replies[0] { throw .unavailable("Redis refused BLMOVE: \(message)") }
        if RedisScript.isMissing(replies[1]) { return (try run(RedisTaskScripts.claim, keys: keys, arguments: arguments, on: connection), token) }
        if case .error(let message) = replies[1] { throw .unavailable("Redis refused the claim: \(message)") }
        return (replies[1], token)
    }

    /// The task a claim leased, under the lease token it sent, its signature checked.
    private func leased(_ claimed: (value: RedisValue, token: String)) -> ScriptTask? {
        guard let fields = claimed.value.array?.compactMap(\.string), fields.first == "run", fields.count == 11 else { return nil }
        let constants = (try? JSONParser.parse(fields[5]))?.objectValue ?? [:]
        let now = SystemTime.wall()
        var task = ScriptTask(id: fields[1], circle: fields[4], caller: fields[3], script: fields[2], constants: constants,
                              createdAt: now, timeout: Double(fields[6]))
        let signed = ["id": fields[1], "script": fields[2], "caller_id": fields[3], "context_id": fields[4], "constants": fields[5],
                      "timeout": fields[6], "reply_to": fields[7], "created_at": fields[8], TaskSignature.field: fields[9]]
        task.rejection = TaskSignature.rejection(of: signed, secret: options.secret, acceptUnsigned: options.acceptUnsignedTasks)
        task.lease = claimed.token
        task.waited = Double(fields[10]).map { max(0, now - $0) } ?? 0
        return task
    }

    /// Every circle with tasks for a worker of all circles: those gateways announce
    /// (`rhailib:circles`) and those whose queues are in Redis (original rhailib clients announce
    /// nothing), looked for at most every `discoveryInterval` seconds.
    private func everyCircle(on connection: any WorkerConnection) throws(QueueError) -> [String] {
        var circles = Set((try run(["SMEMBERS", RedisTaskKeys.circles], on: connection).array ?? []).compactMap(\.string))
        let now = SystemTime.monotonic()
        let due = discovered.withLock { state -> Bool in
            guard now >= state.next else { return false }
            state.next = now + options.discoveryInterval
            return true
        }
        if due {
            let found = try scanQueues(on: connection)
            discovered.withLock { state in
                for circle in found where state.circles.count < Self.maxDiscovered { state.circles.insert(circle) }
            }
        }
        circles.formUnion(discovered.withLock { $0.circles })
        return circles.sorted()
    }

    /// The circles of the `rhailib:{66 hex}` lists in Redis: one `SCAN` pass of at most 100 calls.
    private func scanQueues(on connection: any WorkerConnection) throws(QueueError) -> Set<String> {
        var found: Set<String> = []
        var cursor = "0"
        for _ in 0..<100 {
            let reply = try run(["SCAN", cursor, "MATCH", "rhailib:0[23]*", "COUNT", "1000", "TYPE", "list"], on: connection)
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string else { break }
            for key in parts[1].array ?? [] {
                if let circle = key.string.flatMap(RedisTaskKeys.circle(ofQueue:)) { found.insert(circle) }
            }
            cursor = next
            if cursor == "0" { break }
        }
        return found
    }

    private func run(_ command: [String], on connection: any WorkerConnection) throws(QueueError) -> RedisValue {
        do {
            return try connection.sendBlocking(command)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    private func run(_ script: RedisScript, keys: [String], arguments: [String], on connection: any WorkerConnection) throws(QueueError) -> RedisValue {
        do {
            return try connection.runBlocking(script, keys: keys, arguments: arguments)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    private func run(_ script: RedisScript, keys: [String], arguments: [String]) async throws(QueueError) -> RedisValue {
        do {
            return try await client.run(script, keys: keys, arguments: arguments)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// An idle connection of this source, or a new one: a blocking socket for `redis://`; for
    /// `rediss://`, a loop connection (connected on the pool while this thread waits).
    private func checkout() throws(QueueError) -> any WorkerConnection {
        if let ready = idle.withLock({ $0.popLast() }) {
            if ready.isAlive { return ready }
            blocks.withLock { $0.clientIds[ObjectIdentifier(ready)] = nil }
        }
        if !client.url.tls {
            do {
                return try RedisBlockingConnection(client.url, timeout: client.connectTimeout, replyTimeout: options.blockSeconds + 30)
            } catch {
                throw .unavailable("\(error)")
            }
        }
        let connected = OneShot<Result<RedisConnection, RedisError>>()
        let client = self.client
        Task {
            do throws(RedisError) {
                connected.fulfil(.success(try await client.dedicated()))
            } catch {
                connected.fulfil(.failure(error))
            }
        }
        switch connected.wait() {
        case .success(let connection): return connection
        case .failure(let error): throw .unavailable("\(error)")
        }
    }

    private func checkin(_ connection: any WorkerConnection) {
        guard connection.isAlive else {
            blocks.withLock { $0.clientIds[ObjectIdentifier(connection)] = nil }
            return
        }
        idle.withLock { $0.append(connection) }
    }
}
