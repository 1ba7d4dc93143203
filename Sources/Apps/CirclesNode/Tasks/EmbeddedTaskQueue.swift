import Actors
import CirclesCore
import DequeModule
import Synchronization
import Threads

/// The in-process queue used when the node has no Redis: the same task semantics as the Redis protocol
/// (statuses, leases with a visibility timeout, re-delivery, a dead-letter list, completed tasks kept
/// for a while and never completed twice, timed-out tasks withdrawn before they run), without a network hop.
///
/// One turn at a time per circle: a circle with a task leased (running or committing) hands out no
/// other; circles are served round-robin, so a flooded circle holds one worker and an idle circle's
/// task starts at the next free worker. A completion carrying a commit is fenced by the task's lease
/// token: the queue pins the lease (no reaping from then on), the writes are committed (SQLite,
/// fsync), and only then is the result recorded and the caller answered.
package final class EmbeddedTaskQueue: TaskQueue, TaskSource {
    package struct Options: Sendable {
        /// A leased task not completed within this many seconds is delivered again.
        package var visibilityTimeout: Double = 60
        /// After this many deliveries a task goes to the dead-letter list.
        package var maxDeliveries = 3
        /// A circle's dead-letter list keeps the newest this many task ids.
        package var deadLetterCapacity = 10_000
        /// Final tasks are remembered (for `record(of:)`) this long, in seconds. A late completion of
        /// a forgotten task is refused like any unknown id, so forgetting never lets a task complete twice.
        package var completedTTL: Double = 3600
        /// At most this many final tasks are remembered, the oldest forgotten first.
        package var completedCapacity = 4096
        /// Tasks waiting or running, at most.
        package var capacity = 100_000

        package init() {}
    }

    /// What the queue remembers of one task.
    package struct Record: Sendable {
        package var task: ScriptTask
        package var status: TaskStatus
        package var deliveries: Int
        package var leasedTo: String?
        package var leaseDeadline: Double
        package var result: TaskResult?
        package var updatedAt: Double
        /// The token of the current lease.
        package var lease = ""
        /// The lease is pinned while its writes are committed: it cannot expire.
        package var committing = false
        /// When the task was queued (the clock's time), for the turn wait.
        package var queuedAt = 0.0
    }

    private struct Waiter {
        var id: UInt64
        var circles: Set<String>?
        var worker: String
        var delivery: OneShot<ScriptTask?>
    }

    /// What `take` found: a task (or nil: closed, released), or a one-shot to wait on.
    private enum Taken {
        case ready(ScriptTask?)
        case waiting(OneShot<ScriptTask?>)
    }

    private struct Reply {
        var deadline: Double
        var timeout: Double
        var completion: @Sendable (Result<TaskResult, QueueError>) -> Void
    }

    private struct State {
        var records: [String: Record] = [:]
        /// Final tasks in `records`, oldest first, with when they became final.
        var finished: Deque<(id: String, at: Double)> = []
        var queues: [String: Deque<String>] = [:]
        /// The task holding each circle's turn.
        var running: [String: String] = [:]
        /// Circles in the order `take` looks at them, from `cursor` on (round-robin).
        var rotation: [String] = []
        var cursor = 0
        var dead: [String: Deque<String>] = [:]
        var waiters: Deque<Waiter> = []
        var replies: [String: Reply] = [:]
        var nextWaiter: UInt64 = 0
        var active = 0
        var closed = false
        /// Workers that were released: their later `take` calls return nil at once.
        var released: Set<String> = []
    }

    package let options: Options
    private let clock: @Sendable () -> Double
    private let state = Mutex(State())

    package init(options: Options = Options(), clock: @escaping @Sendable () -> Double = EmbeddedTaskQueue.wallClock) {
        self.options = options
        self.clock = clock
    }

    package static let wallClock: @Sendable () -> Double = { SystemTime.wall() }

    // MARK: TaskQueue

    package func submit(_ task: ScriptTask, timeout: Double, completion: @escaping @Sendable (Result<TaskResult, QueueError>) -> Void) {
        let now = clock()
        let admitted: Result<(Waiter, ScriptTask)?, QueueError> = state.withLock { state in
            if state.closed { return .failure(.shuttingDown) }
            guard state.active < options.capacity else { return .failure(.overloaded(limit: options.capacity)) }
            state.active += 1
            state.records[task.id] = Record(task: task, status: .pending, deliveries: 0, leasedTo: nil,
                                            leaseDeadline: 0, result: nil, updatedAt: now, queuedAt: now)
            state.replies[task.id] = Reply(deadline: now + timeout, timeout: timeout, completion: completion)
            if state.queues[task.circle] == nil { state.rotation.append(task.circle) }
            state.queues[task.circle, default: []].append(task.id)
            return .success(Self.dispatch(&state, circle: task.circle, now: now, options: options))
        }
        switch admitted {
        case .failure(let error): completion(.failure(error))
        case .success(let handOff): if let (waiter, leased) = handOff { waiter.delivery.fulfil(leased) }
        }
    }

    package func depth(of circle: String) async -> Int {
        state.withLock { $0.queues[circle]?.count ?? 0 }
    }

    // MARK: TaskSource

    package func take(circles: Set<String>?, worker: String) throws(QueueError) -> ScriptTask? {
        let now = clock()
        // A task ready now is returned at once; only a take that has to wait gets a one-shot to wait on.
        let taken: Taken = state.withLock { state in
            if state.closed || state.released.contains(worker) { return .ready(nil) }
            let count = state.rotation.count
            for step in 0..<count {
                let index = (state.cursor + step) % count
                let circle = state.rotation[index]
                guard circles?.contains(circle) ?? true,
                    let task = Self.lease(&state, circle: circle, worker: worker, now: now, options: options)
                else { continue }
                state.cursor = (index + 1) % count
                return .ready(task)
            }
            let delivery = OneShot<ScriptTask?>()
            state.nextWaiter += 1
            state.waiters.append(Waiter(id: state.nextWaiter, circles: circles, worker: worker, delivery: delivery))
            return .waiting(delivery)
        }
        switch taken {
        case .ready(let task): return task
        case .waiting(let delivery): return delivery.wait()
        }
    }

    package func complete(_ result: TaskResult, commit: TaskCommit?, worker: String) throws(QueueError) -> Completion {
        let pinned: Completion? = state.withLock { state in
            guard var record = state.records[result.taskId], !record.status.isFinal, !record.committing else { return .ignored }
            if let commit {
                guard record.status == .processing, record.leasedTo == worker, record.lease == commit.lease else { return .refused }
            }
            record.committing = true
            state.records[result.taskId] = record
            return nil
        }
        if let pinned { return pinned }
        var result = result
        var completion = Completion.recorded
        if let commit, case .success = result.outcome, !commit.writes.isEmpty, let apply = commit.apply {
            do throws(StateError) {
                try apply(commit.writes)
            } catch {
                let failure = CircleEngine.failure(error)
                result.outcome = .failure(failure)
                completion = .commitFailed(failure)
            }
        }
        let now = clock()
        let (reply, handOff): (Reply?, (Waiter, ScriptTask)?) = state.withLock { state in
            guard var record = state.records[result.taskId] else { return (nil, nil) }
            record.status = result.status
            record.result = result
            record.leasedTo = nil
            record.committing = false
            record.updatedAt = now
            state.records[result.taskId] = record
            state.active -= 1
            Self.remember(&state, finished: result.taskId, now: now, options: options)
            Self.endTurn(&state, of: record.task)
            return (state.replies.removeValue(forKey: result.taskId),
                    Self.dispatch(&state, circle: record.task.circle, now: now, options: options))
        }
        if let (waiter, leased) = handOff { waiter.delivery.fulfil(leased) }
        reply?.completion(.success(result))
        return completion
    }

    package func renew(_ tasks: [ScriptTask], worker: String) throws(QueueError) {
        let deadline = clock() + options.visibilityTimeout
        state.withLock { state in
            for task in tasks {
                guard var record = state.records[task.id], record.status == .processing, record.leasedTo == worker,
                    record.lease == task.lease
                else { continue }
                record.leaseDeadline = deadline
                state.records[task.id] = record
            }
        }
    }

    /// A third of the visibility timeout, so that a renewal can be late twice before the lease lapses.
    package var renewInterval: Double { options.visibilityTimeout / 3 }

    package func giveBack(_ task: ScriptTask, worker: String) throws(QueueError) {
        let now = clock()
        let handOff: (Waiter, ScriptTask)? = state.withLock { state in
            guard var record = state.records[task.id], record.status == .processing, record.leasedTo == worker else { return nil }
            record.status = .pending
            record.leasedTo = nil
            record.deliveries -= 1
            record.updatedAt = now
            state.records[task.id] = record
            Self.endTurn(&state, of: record.task)
            state.queues[record.task.circle, default: []].prepend(task.id)
            return Self.dispatch(&state, circle: record.task.circle, now: now, options: options)
        }
        if let (waiter, leased) = handOff { waiter.delivery.fulfil(leased) }
    }

    // MARK: Maintenance

    /// Re-queues tasks whose lease expired (their worker died or hung), dead-letters tasks delivered too
    /// often, times out waiting gateways and forgets old final tasks. Run it periodically.
    package func reap() {
        let now = clock()
        var wake: [(Waiter, ScriptTask)] = []
        var answers: [(Reply, Result<TaskResult, QueueError>)] = []
        state.withLock { state in
            for (id, record) in state.records where record.status == .processing && !record.committing && record.leaseDeadline <= now {
                if let answer = Self.requeueOrBury(&state, id: id, now: now, options: options) { answers.append(answer) }
            }
            while let oldest = state.finished.first, now - oldest.at > options.completedTTL {
                state.finished.removeFirst()
                state.records[oldest.id] = nil
            }
            for (id, reply) in state.replies where reply.deadline <= now {
                state.replies[id] = nil
                answers.append((reply, .failure(.timedOut(seconds: reply.timeout))))
                Self.withdraw(&state, id: id, after: reply.timeout, now: now, options: options)
            }
            for circle in state.queues.keys {
                while let handOff = Self.dispatch(&state, circle: circle, now: now, options: options) { wake.append(handOff) }
            }
        }
        for (waiter, task) in wake { waiter.delivery.fulfil(task) }
        for (reply, answer) in answers { reply.completion(answer) }
    }

    /// Runs `reap` every `interval` seconds until the queue closes (or the task is cancelled): how
    /// reply timeouts and lease expiries take effect. A node runs it as a supervised service.
    package func maintain(every interval: Double = 0.05) async {
        while !state.withLock({ $0.closed }), !Task.isCancelled {
            reap()
            try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
        }
    }

    /// Ends the leases of `worker` at once (it is known to be dead): its tasks are delivered again.
    package func abandon(worker: String) {
        let now = clock()
        var wake: [(Waiter, ScriptTask)] = []
        var answers: [(Reply, Result<TaskResult, QueueError>)] = []
        state.withLock { state in
            for (id, record) in state.records where record.status == .processing && !record.committing && record.leasedTo == worker {
                if let answer = Self.requeueOrBury(&state, id: id, now: now, options: options) { answers.append(answer) }
            }
            for circle in state.queues.keys {
                while let handOff = Self.dispatch(&state, circle: circle, now: now, options: options) { wake.append(handOff) }
            }
        }
        for (waiter, task) in wake { waiter.delivery.fulfil(task) }
        for (reply, answer) in answers { reply.completion(answer) }
    }

    /// Wakes the `take` calls `worker` is waiting in with nil, and makes its later ones return nil
    /// (the worker is stopping; a slot finishing a script may call `take` once more); the queue goes on.
    package func release(worker: String) {
        let released = state.withLock { state in
            state.released.insert(worker)
            let mine = state.waiters.filter { $0.worker == worker }
            state.waiters.removeAll { $0.worker == worker }
            return mine
        }
        for waiter in released { waiter.delivery.fulfil(nil) }
    }

    /// Takes no new tasks; waiting workers get nil, waiting gateways `.shuttingDown`.
    package func close() {
        let (waiters, replies) = state.withLock { state in
            state.closed = true
            defer {
                state.waiters.removeAll()
                state.replies.removeAll()
            }
            return (Array(state.waiters), Array(state.replies.values))
        }
        for waiter in waiters { waiter.delivery.fulfil(nil) }
        for reply in replies { reply.completion(.failure(.shuttingDown)) }
    }

    package func record(of id: String) -> Record? { state.withLock { $0.records[id] } }
    /// Tasks waiting or running.
    package var activeCount: Int { state.withLock { $0.active } }
    /// `take` calls waiting for a task.
    package var waitingWorkers: Int { state.withLock { $0.waiters.count } }
    /// The dead-lettered task ids of `circle`, oldest first.
    package func deadLetters(of circle: String) -> [String] { state.withLock { Array($0.dead[circle] ?? []) } }

    // MARK: Internals (called with the lock held)

    /// Leases the first pending task of `circle` to `worker`, unless the circle's turn is taken.
    private static func lease(_ state: inout State, circle: String, worker: String, now: Double, options: Options) -> ScriptTask? {
        guard state.running[circle] == nil else { return nil }
        while let id = state.queues[circle]?.popFirst() {
            guard var record = state.records[id], record.status == .pending else { continue }
            record.status = .processing
            record.deliveries += 1
            record.leasedTo = worker
            record.leaseDeadline = now + options.visibilityTimeout
            record.updatedAt = now
            record.lease = RandomHex.make(words: 1)
            state.records[id] = record
            state.running[circle] = id
            var task = record.task
            task.lease = record.lease
            task.waited = max(0, now - record.queuedAt)
            return task
        }
        return nil
    }

    /// Ends `task`'s turn in its circle, if it holds it.
    private static func endTurn(_ state: inout State, of task: ScriptTask) {
        if state.running[task.circle] == task.id { state.running[task.circle] = nil }
    }

    /// Notes that `id` became final; past `completedCapacity` the oldest final record is forgotten.
    private static func remember(_ state: inout State, finished id: String, now: Double, options: Options) {
        state.finished.append((id, now))
        while state.finished.count > max(0, options.completedCapacity), let oldest = state.finished.popFirst() {
            state.records[oldest.id] = nil
        }
    }

    private static func dispatch(_ state: inout State, circle: String, now: Double, options: Options) -> (Waiter, ScriptTask)? {
        guard state.queues[circle]?.isEmpty == false,
            let index = state.waiters.firstIndex(where: { $0.circles?.contains(circle) ?? true })
        else { return nil }
        let waiter = state.waiters[index]
        guard let task = lease(&state, circle: circle, worker: waiter.worker, now: now, options: options) else { return nil }
        state.waiters.remove(at: index)
        return (waiter, task)
    }

    /// A task nobody waits for any more is final without running, unless a worker took it already.
    private static func withdraw(_ state: inout State, id: String, after seconds: Double, now: Double, options: Options) {
        guard var record = state.records[id], record.status == .pending else { return }
        let failure = ScriptFailure.withdrawn(because: "the caller stopped waiting after \(seconds) s")
        record.status = .error
        record.result = TaskResult(taskId: id, outcome: .failure(failure))
        record.updatedAt = now
        state.records[id] = record
        state.queues[record.task.circle]?.removeAll { $0 == id }
        state.active -= 1
        remember(&state, finished: id, now: now, options: options)
    }

    private static func requeueOrBury(_ state: inout State, id: String, now: Double, options: Options)
        -> (Reply, Result<TaskResult, QueueError>)?
    {
        guard var record = state.records[id] else { return nil }
        endTurn(&state, of: record.task)
        record.leasedTo = nil
        record.updatedAt = now
        if record.deliveries >= options.maxDeliveries {
            let failure = ScriptFailure.deadLettered(after: record.deliveries)
            let result = TaskResult(taskId: id, outcome: .failure(failure))
            record.status = .error
            record.result = result
            state.records[id] = record
            state.dead[record.task.circle, default: []].append(id)
            if state.dead[record.task.circle]!.count > max(1, options.deadLetterCapacity) { state.dead[record.task.circle]!.removeFirst() }
            state.active -= 1
            remember(&state, finished: id, now: now, options: options)
            return state.replies.removeValue(forKey: id).map { ($0, .success(result)) }
        }
        record.status = .pending
        state.records[id] = record
        state.queues[record.task.circle, default: []].prepend(id)
        return nil
    }
}
