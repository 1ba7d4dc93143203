#if canImport(Glibc)
import Glibc
#endif

extension Supervisor {
    /// Runs this supervisor as the root of a process: SIGINT/SIGTERM stop it gracefully (children in
    /// reverse order) and `run` returns; when it gives up (restart intensity exceeded up to the root),
    /// `onEscalation` gets the error — by default it prints one clear line and exits with status 1.
    /// `onWatching` runs once the signals are watched: a process that announces itself there cannot be
    /// killed by a signal's default action after announcing.
    public func runAsRoot(signals: [Int32] = [SIGINT, SIGTERM],
                          onSignal: @escaping @Sendable (Int32) -> Void = { _ in },
                          onWatching: () -> Void = {},
                          onEscalation: @Sendable (SupervisorError) -> Void = Supervisor.exitOnEscalation) async {
        let watcher = SignalWatcher(signals: signals) { [self] number in
            onSignal(number)
            stop()
        }
        defer { watcher.cancel() }
        await watcher.ready()
        onWatching()
        do throws(SupervisorError) {
            try await run()
        } catch {
            onEscalation(error)
        }
    }

    public static let exitOnEscalation: @Sendable (SupervisorError) -> Void = { error in
        var line = "fatal: \(error)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(1)
    }
}
