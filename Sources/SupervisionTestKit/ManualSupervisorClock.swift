import Supervision
import Synchronization

/// A clock for tests: time moves only with `advance`, and sleepers wake when it passes their deadline.
public final class ManualSupervisorClock: SupervisorClock {
    private struct State {
        var now: Double = 0
        var sleepers: [(id: UInt64, deadline: Double, continuation: CheckedContinuation<Void, Never>)] = []
        var nextId: UInt64 = 0
    }
    private let state = Mutex(State())

    public init() {}

    public func now() -> Double { state.withLock { $0.now } }

    /// How many tasks sleep on this clock now.
    public var sleepers: Int { state.withLock { $0.sleepers.count } }
    /// The deadlines of the sleepers, earliest first.
    public var deadlines: [Double] { state.withLock { $0.sleepers.map(\.deadline).sorted() } }

    /// Sleeps until `advance` passes the deadline; cancellation ends the sleep early (and throws).
    public func sleep(seconds: Double) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextId += 1
            return state.nextId
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if seconds <= 0 || Task.isCancelled { return true }
                    state.sleepers.append((id, state.now + seconds, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                state.sleepers.firstIndex { $0.id == id }.map { state.sleepers.remove(at: $0) }
            }
            sleeper?.continuation.resume()
        }
        try Task.checkCancellation()
    }

    public func advance(by seconds: Double) {
        let due = state.withLock { state in
            state.now += seconds
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }
}
