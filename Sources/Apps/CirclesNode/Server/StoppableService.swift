import Supervision
import Synchronization

/// A service whose work is `body`; a graceful shutdown cancels it, and a cancelled body counts as a
/// normal end.
final class StoppableService: Service {
    private let body: @Sendable () async throws -> Void
    private let state = Mutex<(task: Task<Void, any Error>?, stopped: Bool)>((nil, false))

    init(_ body: @escaping @Sendable () async throws -> Void) { self.body = body }

    func run() async throws {
        let task = Task { try await body() }
        let stopped = state.withLock { state in
            state.task = task
            return state.stopped
        }
        if stopped { task.cancel() }
        try await task.value
    }

    func shutdown() async {
        state.withLock { state in
            state.stopped = true
            state.task?.cancel()
        }
    }

    /// Waits until cancelled.
    static func parked() async throws {
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
