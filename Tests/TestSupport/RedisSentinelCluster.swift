#if canImport(Glibc)
import Glibc
#endif
import Foundation

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

    public init() throws {
        directory = try TemporaryDirectory.make(prefix: "circles-sentinel")
        masterPort = try startServer([])
        replicaPort = try startServer(["--replicaof", "127.0.0.1", String(masterPort)])
        let replica = replicaPort
        try Wait.blockingUntil(timeout: 30, "the replica on port \(replica) to sync") {
            Self.ask(port: replica, "INFO replication").contains("master_link_status:up")
        }
        for index in 0..<3 {
            let port = try FreePort.next()
            let config = directory + "/sentinel-\(index).conf"
            try """
                port \(port)
                bind 127.0.0.1
                daemonize no
                dir \(directory)
                sentinel monitor \(Self.masterName) 127.0.0.1 \(masterPort) 2
                sentinel down-after-milliseconds \(Self.masterName) 1000
                sentinel failover-timeout \(Self.masterName) 4000
                sentinel parallel-syncs \(Self.masterName) 1

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

    /// `redis+sentinel://…/circles` for this cluster.
    public var url: String {
        "redis+sentinel://" + sentinelPorts.map { "127.0.0.1:\($0)" }.joined(separator: ",") + "/\(Self.masterName)"
    }

    /// Kills the current master with SIGKILL; the sentinels promote the replica.
    public func killMaster() {
        servers.removeValue(forKey: masterPort)?.kill(SIGKILL)
    }

    /// Stops the replica (SIGSTOP) for `seconds`, from another thread, and lets it go on (SIGCONT).
    public func pauseReplica(for seconds: Double) {
        guard let replica = servers[replicaPort] else { return }
        replica.signal(SIGSTOP)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: seconds)
            replica.signal(SIGCONT)
        }
    }

    /// Waits until the sentinels name the replica as the master; from then on `masterPort` is its port.
    public func waitForFailover(timeout: Double = 60) throws {
        let replica = replicaPort
        try Wait.blockingUntil(timeout: timeout, "the sentinels to promote the replica on port \(replica)") {
            sentinelPorts.contains { Self.ask(port: $0, "SENTINEL get-master-addr-by-name \(Self.masterName)").contains(String(replica)) }
                && Self.ask(port: replica, "ROLE").contains("master")
        }
        (masterPort, replicaPort) = (replica, masterPort)
    }

    /// Runs `command` with redis-cli on `port`; its output.
    public static func ask(port: Int, _ command: String) -> String {
        guard let cli = try? Executables.find("redis-cli") else { return "" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cli)
        process.arguments = ["-p", String(port)] + command.split(separator: " ").map(String.init)
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
            let process = try ChildProcess(try Executables.find("redis-server"),
                                           ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                            "--dir", directory, "--daemonize", "no"] + extra,
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
