#if canImport(Glibc)
import Glibc
#endif

/// A real redis-server on 127.0.0.1 and a free port, started for a test and stopped with it.
public final class RedisServer: @unchecked Sendable {
    public let port: Int
    public let password: String?
    /// The certificate the server presents when it speaks TLS only (`rediss://`).
    public let certificate: TestCertificate?
    private let directory: String
    private var process: ChildProcess?

    /// Starts a server; `password` sets `requirepass`; with `certificate` it speaks TLS only.
    public init(password: String? = nil, certificate: TestCertificate? = nil) throws {
        port = try FreePort.next()
        self.password = password
        self.certificate = certificate
        directory = try TemporaryDirectory.make(prefix: "circles-redis")
        try start()
    }

    deinit { process?.kill() }

    public var url: String {
        let scheme = certificate == nil ? "redis://" : "rediss://"
        return scheme + (password.map { ":\($0)@" } ?? "") + "127.0.0.1:\(port)"
    }

    /// Starts the server (again, on the same port) and waits until it accepts connections.
    public func start() throws {
        var arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                         "--dir", directory, "--daemonize", "no"]
        if let certificate {
            arguments += ["--port", "0", "--tls-port", String(port), "--tls-cert-file", certificate.certificatePath,
                          "--tls-key-file", certificate.keyPath, "--tls-ca-cert-file", certificate.caPath, "--tls-auth-clients", "no"]
        }
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
