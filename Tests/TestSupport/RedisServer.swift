#if canImport(Glibc)
import Glibc
#endif

/// A real redis-server on 127.0.0.1 and a free port, started for a test and stopped with it.
public final class RedisServer: @unchecked Sendable {
    public let port: Int
    public let password: String?
    private let directory: String
    private var process: ChildProcess?

    /// Starts a server; `password` sets `requirepass`.
    public init(password: String? = nil) throws {
        port = try FreePort.next()
        self.password = password
        directory = try TemporaryDirectory.make(prefix: "circles-redis")
        try start()
    }

    deinit { process?.kill() }

    public var url: String {
        password.map { "redis://:\($0)@127.0.0.1:\(port)" } ?? "redis://127.0.0.1:\(port)"
    }

    /// Starts the server (again, on the same port) and waits until it accepts connections.
    public func start() throws {
        var arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                         "--dir", directory, "--daemonize", "no"]
        if let password { arguments += ["--requirepass", password] }
        process = try ChildProcess(try Executables.find("redis-server"), arguments, log: directory + "/redis.log")
        try Wait.blockingUntil(timeout: 10, "redis-server on port \(port) to accept connections") { FreePort.isListening(port) }
    }

    /// Stops the server cleanly and waits for it to exit.
    public func stop() {
        process?.kill()
        process = nil
    }

    /// Kills the server with SIGKILL (no clean shutdown) and waits for it to exit.
    public func kill() {
        process?.kill(SIGKILL)
        process = nil
    }
}
