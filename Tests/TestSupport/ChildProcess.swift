#if canImport(Glibc)
import Glibc
#endif
import Actors
import Supervision
import Synchronization
import Threads

/// A child process started with posix_spawn (no Foundation run loop involved), output to /dev/null
/// unless a log path is given.
public final class ChildProcess: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let pid: pid_t
    private let exitStatus = Mutex<Int32?>(nil)

    public convenience init(_ executable: String, _ arguments: [String], log: String? = nil) throws {
        try self.init(executable, arguments, stdin: "/dev/null", stdout: log ?? "/dev/null", stderr: nil)
    }

    /// Starts `executable` with stdin read from the file `stdin`, stdout appended to the file `stdout`
    /// and stderr to `stderr` (nil: the same file as stdout).
    public init(_ executable: String, _ arguments: [String], stdin: String, stdout: String, stderr: String?) throws {
        pid = try ChildSpawn.start([executable] + arguments, stdin: stdin, stdout: .file(stdout),
                                   stderr: stderr.map { .file($0) } ?? .sameAs(1))
    }

    deinit { kill(SIGKILL) }

    public var isRunning: Bool {
        guard exitStatus.withLock({ $0 }) == nil else { return false }
        var status: Int32 = 0
        switch waitpid(pid, &status, WNOHANG) {
        case pid:
            exitStatus.withLock { $0 = status }
            return false
        case -1 where errno == ECHILD:
            return false  // reaped by a `wait()` on another thread
        default:
            return true
        }
    }

    /// Sends `signal` unless the process is known to have ended; does not wait.
    public func signal(_ signal: Int32) {
        if exitStatus.withLock({ $0 }) == nil { Glibc.kill(pid, signal) }
    }

    /// Sends `signal` and waits for the process to end on a dedicated thread; returns its wait status.
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM) async -> Int32 {
        self.signal(signal)
        return await DedicatedThread.run("child-wait") { self.wait() }
    }

    /// Sends `signal` and blocks until the process ends: for synchronous fixtures (`deinit`, `defer`)
    /// and processes that end at once; a test body uses `stop`.
    @discardableResult
    public func kill(_ signal: Int32 = SIGTERM) -> Int32 {
        self.signal(signal)
        return wait()
    }

    /// Blocks until the process ends; returns its wait status. From a test body, on a dedicated thread.
    @discardableResult
    public func wait() -> Int32 {
        if let status = exitStatus.withLock({ $0 }) { return status }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
        if result == pid {
            exitStatus.withLock { $0 = status }
            return status
        }
        // Reaped by `isRunning` on another thread, which records the status right after.
        while true {
            if let status = exitStatus.withLock({ $0 }) { return status }
            sched_yield()
        }
    }

    /// The exit code when the process exited normally, nil when a signal ended it.
    public static func exitCode(of status: Int32) -> Int32? {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }
}
