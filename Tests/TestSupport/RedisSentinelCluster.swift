#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Threads

/// A Redis master, one replica and three sentinels (quorum 2, a master is down after 1 s) on
/// 127.0.0.1 and free ports, for failover tests. Everything is killed with it.
public final class RedisSentinelCluster: @unchecked Sendable {
    public static let masterName = "circles"
    public private(set) var masterPort = 0
    public private(set) var replicaPort = 0
    public private(set) var sentinelPorts: [Int] = []
    private let directory: String
    private var servers: [Int: ChildProcess] = [:]
    private var sentinels: [ChildProcess] = []

    /// The master's and replica's `requirepass` (nil: none).
    public let password: String?
    /// The sentinels' `requirepass` (nil: none).
    public let sentinelPassword: String?
    /// With a certificate every server and sentinel speaks TLS only (replication and sentinel links too).
    public let certificate: TestCertificate?

    /// Starts the cluster; `password` protects the master and the replica (the sentinels and the replica
    /// authenticate to them), `sentinelPassword` the sentinels, and with `certificate` all of it is TLS.
    public init(password: String? = nil, sentinelPassword: String? = nil, certificate: TestCertificate? = nil) throws {
        self.password = password
        self.sentinelPassword = sentinelPassword
        self.certificate = certificate
        directory = try TemporaryDirectory.make(prefix: "circles-sentinel")
        masterPort = try startServer([])
        replicaPort = try startServer(["--replicaof", "127.0.0.1", String(masterPort)])
        let replica = replicaPort
        try Wait.blockingUntil(timeout: 60, "the replica on port \(replica) to sync") {
            self.ask(port: replica, "INFO replication").contains("master_link_status:up")
        }
        for index in 0..<3 {
            let port = try FreePort.next()
            let config = directory + "/sentinel-\(index).conf"
            var lines = certificate.map { certificate in
                ["port 0", "tls-port \(port)", "tls-cert-file \(certificate.certificatePath)", "tls-key-file \(certificate.keyPath)",
                 "tls-ca-cert-file \(certificate.caPath)", "tls-auth-clients no", "tls-replication yes"]
            } ?? ["port \(port)"]
            if let sentinelPassword { lines += ["requirepass \(sentinelPassword)", "sentinel sentinel-pass \(sentinelPassword)"] }
            try """
                \(lines.joined(separator: "\n"))
                bind 127.0.0.1
                daemonize no
                dir \(directory)
                sentinel monitor \(Self.masterName) 127.0.0.1 \(masterPort) 2
                sentinel down-after-milliseconds \(Self.masterName) 1000
                sentinel failover-timeout \(Self.masterName) 4000
                sentinel parallel-syncs \(Self.masterName) 1
                \(password.map { "sentinel auth-pass \(Self.masterName) \($0)" } ?? "")

                """.write(toFile: config, atomically: true, encoding: .utf8)
            sentinels.append(try ChildProcess(try Executables.find("redis-sentinel"), [config], log: directory + "/sentinel-\(index).log"))
            sentinelPorts.append(port)
            try Wait.blockingUntil(timeout: 30, "sentinel on port \(port)") { FreePort.isListening(port) }
        }
    }

    deinit {
        for sentinel in sentinels { sentinel.kill(SIGKILL) }
        for server in servers.values { server.kill(SIGKILL) }
    }

    /// `redis+sentinel://…/circles` for this cluster (`rediss+sentinel://` with TLS), with its passwords.
    public var url: String {
        (certificate == nil ? "redis+sentinel://" : "rediss+sentinel://") + (password.map { ":\($0)@" } ?? "")
            + sentinelPorts.map { "127.0.0.1:\($0)" }.joined(separator: ",") + "/\(Self.masterName)"
            + (sentinelPassword.map { "?sentinel_password=\($0)" } ?? "")
    }

    /// Kills the current master with SIGKILL; the sentinels promote the replica.
    public func killMaster() {
        servers.removeValue(forKey: masterPort)?.kill(SIGKILL)
    }

    /// Stops the replica (SIGSTOP) for `seconds`, from another thread, and lets it go on (SIGCONT).
    public func pauseReplica(for seconds: Double) {
        guard let replica = servers[replicaPort] else { return }
        replica.signal(SIGSTOP)
        DeadlineTimer.shared.schedule(after: seconds) { replica.signal(SIGCONT) }
    }

    /// Waits until the sentinels name the replica as the master; from then on `masterPort` is its port.
    public func waitForFailover(timeout: Double = 60) throws {
        let replica = replicaPort
        try Wait.blockingUntil(timeout: timeout, "the sentinels to promote the replica on port \(replica)") {
            sentinelPorts.contains { ask(port: $0, "SENTINEL get-master-addr-by-name \(Self.masterName)").contains(String(replica)) }
                && ask(port: replica, "ROLE").contains("master")
        }
        (masterPort, replicaPort) = (replica, masterPort)
    }

    /// Runs `command` with redis-cli on `port` of this cluster (a server or a sentinel), with its password
    /// and TLS; its output.
    public func ask(port: Int, _ command: String) -> String {
        var options = certificate.map { ["--tls", "--cacert", $0.caPath] } ?? []
        if let secret = sentinelPorts.contains(port) ? sentinelPassword : password { options += ["-a", secret, "--no-auth-warning"] }
        return Self.ask(port: port, command, options: options)
    }

    /// Runs `command` with redis-cli (with `options`) on `port`; its output.
    public static func ask(port: Int, _ command: String, options: [String] = []) -> String {
        guard let cli = try? Executables.find("redis-cli") else { return "" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = options + ["-p", String(port)] + command.split(separator: " ").map(String.init)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func startServer(_ extra: [String]) throws -> Int {
        var attempts = 0
        while true {
            let port = try FreePort.next()
            var security: [String] = []
            if let certificate {
                security += ["--port", "0", "--tls-port", String(port), "--tls-cert-file", certificate.certificatePath,
                             "--tls-key-file", certificate.keyPath, "--tls-ca-cert-file", certificate.caPath,
                             "--tls-auth-clients", "no", "--tls-replication", "yes"]
            }
            if let password { security += ["--requirepass", password, "--masterauth", password] }
            let process = try ChildProcess(try Executables.find("redis-server"),
                                           ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                            "--dir", directory, "--daemonize", "no",
                                            // a replica's full sync starts at once instead of 5 s later
                                            "--repl-diskless-sync-delay", "0"] + security + extra,
                                           log: directory + "/redis-\(port).log")
            do {
                try Wait.blockingUntil(timeout: 30, "redis-server on port \(port)") { !process.isRunning || FreePort.isListening(port) }
            } catch {
                process.kill(SIGKILL)
                throw error
            }
            if process.isRunning {
                servers[port] = process
                return port
            }
            attempts += 1
            if attempts == 5 { throw FreePort.Failure(description: "redis-server would not start in \(directory)") }
        }
    }
}
