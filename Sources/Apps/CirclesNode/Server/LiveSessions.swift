import Actors
import Synchronization
import Transport
import Threads

/// The node's open WebSocket sessions, so that a graceful stop can drain them and wait for them to end.
final class LiveSessions: Sendable {
    struct Entry: Sendable {
        var session: ActorRef<CircleSession.Message>
        var connection: WebSocketConnection
        /// When the peer last sent a frame.
        var activity = Activity()
    }

    /// Milliseconds (monotonic) of a session's last frame from its peer.
    final class Activity: Sendable {
        let lastFrame = Atomic<Int64>(LiveSessions.now())
    }

    private let entries = Mutex<[UInt64: Entry]>([:])
    private let nextId = Atomic<UInt64>(0)

    func makeId() -> UInt64 { nextId.add(1, ordering: .relaxed).newValue }

    var count: Int { entries.withLock { $0.count } }

    func add(_ id: UInt64, _ entry: Entry) { entries.withLock { $0[id] = entry } }

    /// Closes (1000) the sessions whose peer sent nothing for `timeout` seconds; returns how many.
    @discardableResult
    func closeIdle(after timeout: Double) -> Int {
        let limit = Self.now() - Int64(timeout * 1000)
        let idle = entries.withLock { $0.values.filter { $0.activity.lastFrame.load(ordering: .relaxed) < limit } }
        for entry in idle { entry.connection.close(code: WebSocketCloseCode.normal, reason: "idle for \(Int(timeout)) s") }
        return idle.count
    }

    /// Milliseconds on the monotonic clock.
    static func now() -> Int64 { Int64(SystemTime.monotonic() * 1000) }

    func remove(_ id: UInt64) { entries.withLock { $0[id] = nil } }

    /// Asks every session to finish its plays and close with 1001.
    func drainAll() {
        for entry in entries.withLock({ Array($0.values) }) { _ = entry.session.tell(.drain) }
    }

    /// Closes what is left at once.
    func closeAll() {
        for entry in entries.withLock({ Array($0.values) }) {
            entry.connection.close(code: WebSocketCloseCode.goingAway, reason: "the node is shutting down")
        }
    }

    /// Waits until no session is left or `deadline` (seconds) passes; true when all ended.
    func waitUntilEmpty(deadline: Double) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(Int(deadline * 1000))
        while count > 0 {
            guard clock.now < end else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
