#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A real redis-server on 127.0.0.1 and a free port, started for a test and stopped with it.
public final class RedisServer: @unchecked Sendable {
    public private(set) var port: Int
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
        // The free port may be taken by another test's socket before redis-server binds it: try others.
        var attempts = 0
        while true {
            do {
                try launch()
                return
            } catch {
                attempts += 1
                if attempts == 5 { throw error }
                port = try FreePort.next()
            }
        }
    }

    deinit { process?.kill() }

    public var url: String {
        let scheme = certificate == nil ? "redis://" : "rediss://"
        return scheme + (password.map { ":\($0)@" } ?? "") + "127.0.0.1:\(port)"
    }

    /// Starts the server again on the same port (its clients reconnect there) and waits until it accepts
    /// connections. Another test's socket may hold the port for a moment (a `FreePort` probe, a client's
    /// ephemeral port): then it tries again for up to ten seconds.
    public func start() throws {
        let deadline = Wait.now() + 10
        while true {
            do {
                return try launch()
            } catch {
                guard Wait.now() < deadline else { throw error }
                usleep(200_000)  // ok: backing off before the same port is tried again
            }
        }
    }

    private func launch() throws {
        var arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                         "--dir", directory, "--daemonize", "no"]
        if let certificate {
            arguments += ["--port", "0", "--tls-port", String(port), "--tls-cert-file", certificate.certificatePath,
                          "--tls-key-file", certificate.keyPath, "--tls-ca-cert-file", certificate.caPath, "--tls-auth-clients", "no"]
        }
        if let password { arguments += ["--requirepass", password] }
        process = try ChildProcess(try Executables.find("redis-server"), arguments, log: directory + "/redis.log")
        let child = process
        try Wait.blockingUntil(timeout: 30, "redis-server on port \(port) to accept connections") {
            !(child?.isRunning ?? false) || FreePort.isListening(port)
        }
        guard child?.isRunning == true else {
            process = nil
            let log = (try? String(contentsOfFile: directory + "/redis.log", encoding: .utf8)) ?? ""
            throw FreePort.Failure(description: "redis-server on port \(port) exited: \(log.suffix(300))")
        }
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
