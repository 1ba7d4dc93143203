import ActorsTestKit
import Synchronization
import Supervision
import Actors

struct Crash: Error, CustomStringConvertible {
    var description: String { "crash" }
}

/// Services under test report to a shared log and end when the test says so.
final class Harness: Sendable {
    enum Command: Sendable { case fail, finish, cancelled }

    private struct State {
        var log: [String] = []
        var waiting: [String: CheckedContinuation<Command, Never>] = [:]
        var starts: [String: Int] = [:]
    }
    private let state = Mutex(State())

    var log: [String] { state.withLock { $0.log } }
    func record(_ line: String) { state.withLock { $0.log.append(line) } }
    func starts(_ id: String) -> Int { state.withLock { $0.starts[id] ?? 0 } }
    func isRunning(_ id: String) -> Bool { state.withLock { $0.waiting[id] != nil } }
    func clearLog() { state.withLock { $0.log.removeAll() } }

    func send(_ command: Command, to id: String) {
        let waiter = state.withLock { $0.waiting.removeValue(forKey: id) }
        waiter?.resume(returning: command)
    }

    /// Suspends the service `id` until a command comes (or its task is cancelled).
    func wait(_ id: String) async -> Command {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                state.withLock { state in
                    state.waiting[id] = continuation
                    state.starts[id, default: 0] += 1
                    state.log.append("start \(id)")
                }
            }
        } onCancel: {
            self.send(.cancelled, to: id)
        }
    }

    /// Polls (yielding) until `condition` holds.
    func until(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<200_000 {
            if condition() { return }
            await Task.yield()
        }
        throw TestKitError("never happened: \(what); log: \(log)")
    }

    func spec(_ id: String, restart: RestartType = .permanent, shutdown: ShutdownPolicy = .default,
              ignoresShutdown: Bool = false) -> ChildSpec {
        .service(id, restart: restart, shutdown: shutdown) { ControlledService(id: id, harness: self, ignoresShutdown: ignoresShutdown) }
    }
}

struct ControlledService: Service {
    let id: String
    let harness: Harness
    let ignoresShutdown: Bool

    func run() async throws {
        let command = await harness.wait(id)
        harness.record("end \(id) \(command)")
        switch command {
        case .fail: throw Crash()
        case .finish: return
        case .cancelled: throw CancellationError()
        }
    }

    func shutdown() async {
        if !ignoresShutdown { harness.send(.finish, to: id) }
    }
}
