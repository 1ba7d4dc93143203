#if canImport(Glibc)
import Glibc
#endif
import Actors
import Logging
import Supervision
import Synchronization
import Threads

/// A `circles worker` process as a supervised child: started with `posix_spawn` in its own process
/// group (a Ctrl-C reaches only the launcher, which stops its workers in order), its exit awaited on a
/// thread of its own. An exit the launcher did not ask for is a failure, so the supervisor starts a
/// new process with backoff; a graceful stop sends SIGTERM (the worker finishes its running scripts),
/// and SIGKILL if the stop times out.
final class WorkerProcess: Service {
    struct Exit: Error, CustomStringConvertible {
        var pid: pid_t
        var status: Int32
        var description: String {
            let signal = status & 0x7f
            return signal == 0 ? "worker process \(pid) exited with status \((status >> 8) & 0xff)"
                : "worker process \(pid) was killed by signal \(signal)"
        }
    }

    private let arguments: [String]
    private let environment: [String: String]
    private let logger: Logger
    private let state = Mutex<(pid: pid_t?, stopping: Bool)>((nil, false))

    /// `arguments[0]` is the executable; `environment` is added to the launcher's own (secrets go there, not in argv).
    init(arguments: [String], environment: [String: String] = [:], logger: Logger) {
        self.arguments = arguments
        self.environment = environment
        self.logger = logger
    }

    func run() async throws {
        let pid = try spawn()
        let stopping = state.withLock { state in
            state.pid = pid
            return state.stopping
        }
        if stopping { signal(SIGTERM) }
        logger.info("worker process \(pid) started", metadata: ["pid": "\(pid)"])
        let status = await withTaskCancellationHandler {
            await waitForExit(pid)
        } onCancel: {
            signal(SIGKILL)
        }
        if state.withLock({ $0.stopping }) { return }
        throw Exit(pid: pid, status: status)
    }

    func shutdown() async {
        state.withLock { $0.stopping = true }
        signal(SIGTERM)
    }

    /// Signals the process while it is not reaped: its pid cannot have been given to another process.
    private func signal(_ signal: Int32) {
        state.withLock { state in
            if let pid = state.pid { kill(pid, signal) }
        }
    }

    /// stdin from /dev/null, stdout to the launcher's stderr (a worker's output is its log), stderr inherited.
    private func spawn() throws(ChildSpawn.Failure) -> pid_t {
        try ChildSpawn.start(arguments, stdout: .sameAs(2), ownProcessGroup: true, environment: environment)
    }

    /// Waits on a thread of its own for `pid` to exit, then forgets and reaps it in one step (so that
    /// `signal` never reaches a process that was given the pid after it); returns its wait status.
    private func waitForExit(_ pid: pid_t) async -> Int32 {
        await DedicatedThread.run("waitpid") {
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0, errno == EINTR {}
            return self.state.withLock { state in
                state.pid = nil
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                return status
            }
        }
    }
}
