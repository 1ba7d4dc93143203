import Actors
import Synchronization
import Transport

/// The node's open WebSocket sessions, so that a graceful stop can drain them and wait for them to end.
final class LiveSessions: Sendable {
    struct Entry: Sendable {
        var session: ActorRef<CircleSession.Message>
        var connection: WebSocketConnection
    }

    private let entries = Mutex<[UInt64: Entry]>([:])
    private let nextId = Atomic<UInt64>(0)

    func makeId() -> UInt64 { nextId.add(1, ordering: .relaxed).newValue }

    var count: Int { entries.withLock { $0.count } }

    func add(_ id: UInt64, _ entry: Entry) { entries.withLock { $0[id] = entry } }

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
