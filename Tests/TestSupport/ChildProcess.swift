#if canImport(Glibc)
import Glibc
#endif
import Supervision

/// A child process started with posix_spawn (no Foundation run loop involved), output to /dev/null
/// unless a log path is given.
public final class ChildProcess: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let pid: pid_t
    private var exitStatus: Int32?

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
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return false
        }
        return true
    }

    /// Sends `signal` and waits for the process to end; returns its wait status.
    @discardableResult
    public func kill(_ signal: Int32 = SIGTERM) -> Int32 {
        if let exitStatus { return exitStatus }
        Glibc.kill(pid, signal)
        return wait()
    }

    /// Waits for the process to end; returns its wait status.
    @discardableResult
    public func wait() -> Int32 {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        exitStatus = status
        return status
    }

    /// The exit code when the process exited normally, nil when a signal ended it.
    public static func exitCode(of status: Int32) -> Int32? {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }
}
