#if canImport(Glibc)
import Glibc
#endif

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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child = pid_t()
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(rc)))") }
        pid = child
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
