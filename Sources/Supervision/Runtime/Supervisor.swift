import Threads
import Synchronization

/// An OTP-style supervisor: starts its children in order, restarts them by its strategy (with backoff),
/// gives up when they fail too often (stopping them and failing to its parent), and stops them in
/// reverse order with their shutdown policies. All decisions happen on one event loop, one at a time.
public final class Supervisor: Sendable {
    public let id: String
    public let strategy: Strategy
    public let intensity: RestartIntensity
    public let backoff: Backoff
    private let clock: any SupervisorClock
    /// Told of every restart (the child's id and why it ended) before the child starts again.
    private let onRestart: (@Sendable (_ child: String, _ failure: String) -> Void)?
    private let events: AsyncStream<Event>
    private let inbox: AsyncStream<Event>.Continuation
    private let state: Mutex<State>

    enum Event: Sendable {
        case exited(id: String, generation: Int, exit: ChildExit)
        case add(ChildSpec, CheckedContinuation<Result<Void, SupervisorError>, Never>)
        case stop
    }

    struct Entry: Sendable {
        var spec: ChildSpec
        var run: (any RunningChild)?
        var generation = 0
        var state = ChildState.starting
        var restarts = 0
        var consecutive = 0
        var lastRestart = -Double.infinity
    }

    struct State: Sendable {
        var entries: [Entry]
        var status = SupervisorState.idle
        var restartTimes: [Double] = []
        var totalRestarts = 0
    }

    public init(_ id: String, strategy: Strategy = .oneForOne, intensity: RestartIntensity = RestartIntensity(),
                backoff: Backoff = Backoff(), clock: any SupervisorClock = SystemSupervisorClock(), children: [ChildSpec] = [],
                onRestart: (@Sendable (_ child: String, _ failure: String) -> Void)? = nil) {
        self.id = id
        self.onRestart = onRestart
        self.strategy = strategy
        self.intensity = intensity
        self.backoff = backoff
        self.clock = clock
        (events, inbox) = AsyncStream.makeStream(of: Event.self)
        state = Mutex(State(entries: children.map { Entry(spec: $0) }))
    }

    /// Starts the children in order, then supervises them until `stop()` (returns after stopping them)
    /// or until the restart intensity is exceeded (stops them, then throws: the parent's failure).
    public func run() async throws(SupervisorError) {
        state.withLock { $0.status = .starting }
        var failure: SupervisorError?
        for index in 0..<state.withLock({ $0.entries.count }) {
            if let error = await startEntry(at: index, previous: nil, isRestart: false) {
                failure = error
                break
            }
        }
        if failure == nil {
            state.withLock { $0.status = .running }
            loop: for await event in events {
                switch event {
                case .stop:
                    break loop
                case .add(let spec, let reply):
                    reply.resume(returning: await add(spec))
                case .exited(let id, let generation, let exit):
                    if let error = await handleExit(id: id, generation: generation, exit: exit) {
                        failure = error
                        break loop
                    }
                }
            }
        }
        state.withLock { $0.status = .stopping }
        await stopEntries(from: 0)
        inbox.finish()
        for await event in events {
            if case .add(_, let reply) = event { reply.resume(returning: .failure(.notAccepting(supervisor: id))) }
        }
        state.withLock { $0.status = failure == nil ? .stopped : .failed }
        if let failure { throw failure }
    }

    /// Asks the supervisor to stop its children (in reverse order) and return from `run`.
    public func stop() { inbox.yield(.stop) }

    /// Adds and starts a child of a `.dynamic` supervisor (say, the session of a new connection).
    public func startChild(_ spec: ChildSpec) async throws(SupervisorError) {
        let result = await withCheckedContinuation { continuation in
            if case .terminated = inbox.yield(.add(spec, continuation)) {
                continuation.resume(returning: .failure(.notAccepting(supervisor: id)))
            }
        }
        try result.get()
    }

    /// The live tree: ids, states, restart counts, mailbox depths, nested supervisors.
    public func snapshot() -> SupervisorSnapshot {
        let (entries, status, restarts) = state.withLock { ($0.entries, $0.status, $0.totalRestarts) }
        return SupervisorSnapshot(id: id, strategy: strategy.description, state: status, restarts: restarts,
                                  children: entries.map { entry in
            ChildSnapshot(id: entry.spec.id, kind: entry.spec.kind, restart: entry.spec.restart, state: entry.state,
                          restarts: entry.restarts, mailboxDepth: entry.run?.mailboxDepth, subtree: entry.run?.subtree)
        })
    }

    /// Children currently in the supervisor (dynamic pools shrink as children end).
    public var childCount: Int { state.withLock { $0.entries.count } }

    // MARK: Event handling

    private func add(_ spec: ChildSpec) async -> Result<Void, SupervisorError> {
        guard case .dynamic(let limit) = strategy else { return .failure(.notAccepting(supervisor: id)) }
        let index: Int? = state.withLock { state in
            guard state.entries.count < limit, !state.entries.contains(where: { $0.spec.id == spec.id }) else { return nil }
            state.entries.append(Entry(spec: spec))
            return state.entries.count - 1
        }
        guard let index else {
            let duplicate = state.withLock { $0.entries.contains { $0.spec.id == spec.id } }
            return .failure(duplicate ? .duplicateChild(spec.id) : .poolFull(supervisor: id, limit: limit))
        }
        if let error = await startEntry(at: index, previous: nil, isRestart: false) { return .failure(error) }
        return .success(())
    }

    private func handleExit(id child: String, generation: Int, exit: ChildExit) async -> SupervisorError? {
        guard let index = state.withLock({ state in
            state.entries.firstIndex { $0.spec.id == child && $0.generation == generation }
        }) else { return nil }
        let spec = state.withLock { $0.entries[index].spec }
        let restart: Bool
        switch (spec.restart, exit) {
        case (.permanent, _), (.transient, .failed): restart = true
        default: restart = false
        }
        guard restart else {
            state.withLock { state in
                if case .dynamic = strategy { state.entries.remove(at: index) } else {
                    state.entries[index].state = .stopped
                    state.entries[index].run = nil
                }
            }
            return nil
        }
        let failure: String = if case .failed(let reason) = exit { reason } else { "exited normally" }
        onRestart?(child, failure)
        if let error = recordRestart(child: child, failure: failure) {
            state.withLock { $0.entries[index].run = nil }
            return error
        }
        switch strategy {
        case .oneForOne, .dynamic:
            return await startEntry(at: index, previous: failure, isRestart: true)
        case .oneForAll:
            await stopEntries(from: 0, except: index)
            return await restartEntries(from: 0, failedIndex: index, failure: failure)
        case .restForOne:
            await stopEntries(from: index + 1)
            return await restartEntries(from: index, failedIndex: index, failure: failure)
        }
    }

    /// Notes a restart; an error when it exceeds the intensity.
    private func recordRestart(child: String, failure: String) -> SupervisorError? {
        let now = clock.now()
        return state.withLock { state in
            state.restartTimes.append(now)
            state.restartTimes.removeAll { now - $0 > intensity.period }
            state.totalRestarts += 1
            guard state.restartTimes.count > intensity.maxRestarts else { return nil }
            return .restartIntensityExceeded(supervisor: id, child: child, restarts: intensity.maxRestarts,
                                             period: intensity.period, lastFailure: failure)
        }
    }

    private func restartEntries(from start: Int, failedIndex: Int, failure: String) async -> SupervisorError? {
        for index in start..<state.withLock({ $0.entries.count }) {
            let previous = index == failedIndex ? failure : nil
            if let error = await startEntry(at: index, previous: previous, isRestart: true) { return error }
        }
        return nil
    }

    /// Starts (or restarts, after the backoff delay) one child and watches it; a start that throws counts
    /// as a failure of that child.
    private func startEntry(at index: Int, previous: String?, isRestart: Bool) async -> SupervisorError? {
        do {
            let (spec, delay) = state.withLock { state -> (ChildSpec, Double) in
                var entry = state.entries[index]
                var delay = 0.0
                if isRestart {
                    let now = clock.now()
                    if now - entry.lastRestart > backoff.resetAfter { entry.consecutive = 0 }
                    delay = backoff.delay(attempt: entry.consecutive, random: Double.random(in: -1...1))
                    entry.consecutive += 1
                    entry.restarts += 1
                    entry.lastRestart = now
                    entry.state = .restarting
                } else {
                    entry.state = .starting
                }
                state.entries[index] = entry
                return (entry.spec, delay)
            }
            if delay > 0 { try? await clock.sleep(seconds: delay) }
            do {
                let run = try await spec.start(previous)
                let generation = state.withLock { state -> Int in
                    state.entries[index].generation += 1
                    state.entries[index].run = run
                    state.entries[index].state = .running
                    return state.entries[index].generation
                }
                let inbox = self.inbox
                Task {
                    let exit = await run.join()
                    inbox.yield(.exited(id: spec.id, generation: generation, exit: exit))
                }
                return nil
            } catch {
                let failure = "start failed: \(error)"
                if spec.restart == .temporary {
                    state.withLock { $0.entries[index].state = .stopped }
                    return nil
                }
                if let exceeded = recordRestart(child: spec.id, failure: failure) { return exceeded }
                return await startEntry(at: index, previous: failure, isRestart: true)
            }
        }
    }

    /// Stops the children from `start` on, last first, each by its shutdown policy.
    private func stopEntries(from start: Int, except skipped: Int? = nil) async {
        let count = state.withLock { $0.entries.count }
        guard start < count else { return }
        for index in (start..<count).reversed() where index != skipped {
            let (run, policy): ((any RunningChild)?, ShutdownPolicy) = state.withLock { state in
                let entry = state.entries[index]
                state.entries[index].generation += 1
                state.entries[index].state = .stopping
                return (entry.run, entry.spec.shutdown)
            }
            if let run { await Self.shutdown(run, policy: policy, clock: clock) }
            state.withLock { state in
                state.entries[index].run = nil
                state.entries[index].state = .stopped
            }
        }
    }

    static func shutdown(_ run: any RunningChild, policy: ShutdownPolicy, clock: any SupervisorClock) async {
        switch policy {
        case .immediate:
            run.cancel()
            _ = await run.join()
        case .graceful(let timeout):
            await run.stop()
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            let finished = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let first = FirstAnswer(continuation)
                let timer = Task {
                    try? await clock.sleep(seconds: seconds)
                    first.answer(false)
                }
                Task {
                    _ = await run.join()
                    timer.cancel()
                    first.answer(true)
                }
            }
            if !finished {
                run.cancel()
                _ = await run.join()
            }
        }
    }
}

/// Resumes a continuation with the first answer given; later answers are ignored.
private final class FirstAnswer: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>
    init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = Mutex(continuation) }
    func answer(_ value: Bool) { continuation.withLock { $0.take() }?.resume(returning: value) }
}
