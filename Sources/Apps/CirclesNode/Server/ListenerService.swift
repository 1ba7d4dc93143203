import Supervision
import Transport

/// The node's listening socket as a supervised service. A graceful stop stops accepting, asks every
/// session to finish its plays and close with 1001, waits up to the shutdown deadline, then closes
/// whatever is left.
final class ListenerService: Service {
    private let runtime: NodeRuntime
    private let parked = StoppableService { try await StoppableService.parked() }

    init(runtime: NodeRuntime) { self.runtime = runtime }

    func run() async throws {
        if runtime.server.current == nil { runtime.server.set(try runtime.makeServer()) }
        let (live, timeout) = (runtime.live, runtime.options.idleTimeout)
        let sweeper = Task {
            guard timeout > 0 else { return }
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(min(max(timeout / 4, 0.05), 5) * 1000)))
                live.closeIdle(after: timeout)
            }
        }
        defer { sweeper.cancel() }
        try await parked.run()
    }

    func shutdown() async {
        runtime.server.current?.stopAccepting()
        runtime.server.set(nil)
        await drain()
        await parked.shutdown()
    }

    private func drain() async {
        let deadline = runtime.options.shutdownDeadline
        runtime.live.drainAll()
        if await runtime.live.waitUntilEmpty(deadline: deadline) { return }
        runtime.logger.warning("\(runtime.live.count) sessions still open after \(deadline) s; closing them")
        runtime.live.closeAll()
        _ = await runtime.live.waitUntilEmpty(deadline: 2)
    }
}
