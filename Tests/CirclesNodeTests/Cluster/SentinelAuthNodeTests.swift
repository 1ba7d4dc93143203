import CirclesTestSupport
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// A node on a password-protected master and sentinels (issue 18): its gateway and its workers find the
/// master through the sentinels with their password and run a play that writes; a wrong password is a
/// clear error in the play's answer and in the log.
@Suite struct SentinelAuthNodeTests {
    @Test func aNodeOnAPasswordProtectedSentinelClusterRunsAPlay() async throws {
        let cluster = try await onDedicatedThread { try RedisSentinelCluster(password: "master-pw", sentinelPassword: "sentinel-pw") }
        let rig = try NodeRig {
            $0.redisURL = cluster.url
            $0.taskSecret = TestTaskSecret.secret
            $0.redisWaitReplicas = 1
            $0.playTimeout = 20
        }
        let peer = try await rig.connect()
        let reply = try await peer.call("play", ["script": #"save_data("k", 41); load_data("k") + 1"#])
        #expect(reply["result"]?["output"]?.stringValue == "42", "\(reply)")
        #expect(cluster.ask(port: cluster.replicaPort, "HGET rhailib:data:\(rig.circle) k").contains("41"), "committed on the replica too")
        try await rig.stop()
    }

    @Test(arguments: ["master", "sentinel"])
    func aWrongPasswordIsAClearError(wrong: String) async throws {
        let cluster = try await onDedicatedThread { try RedisSentinelCluster(password: "master-pw", sentinelPassword: "sentinel-pw") }
        let url = wrong == "master" ? cluster.url.replacingOccurrences(of: ":master-pw@", with: ":nope@")
            : cluster.url.replacingOccurrences(of: "sentinel_password=sentinel-pw", with: "sentinel_password=nope")
        let log = RecordedLog()
        let rig = try NodeRig(logger: log.logger) {
            $0.redisURL = url
            $0.taskSecret = TestTaskSecret.secret
            $0.playTimeout = 30  // room for the sentinel lookup and the refused connection on a loaded machine
        }
        let peer = try await rig.connect()
        let reply = try await peer.call("play", ["script": "1"])
        let data = reply["error"]?["data"]?.stringValue ?? ""
        #expect(data.contains("WRONGPASS") && data.contains("task queue unavailable"), "\(reply)")
        #expect(data.contains("no sentinel named a master") == (wrong == "sentinel"), "\(data)")
        #expect(!data.contains("nope") && !data.contains("-pw"), "no password in the message")
        // The node's workers say why in the log.
        try await Wait.until(timeout: 30, "the workers' warning") {
            log.lines.withLock { $0.contains { $0.hasPrefix("warning") && $0.contains("WRONGPASS") } }
        }
        try await rig.stop()
    }

    /// All of it over TLS: a node given the test CA (`NodeOptions.redisTLS`, `--redis-tls-ca`) reaches
    /// TLS-only sentinels and master; `circles serve` and `circles worker` take the flag.
    @Test(.timeLimit(.minutes(3)))
    func aNodeOverTLSSentinelsRunsAPlay() async throws {
        let certificate = try await TestCertificate.make()
        let cluster = try await onDedicatedThread {
            try RedisSentinelCluster(password: "master-pw", sentinelPassword: "sentinel-pw", certificate: certificate)
        }
        let rig = try NodeRig {
            $0.redisURL = cluster.url
            $0.redisTLS = try TLSClientContext(trust: .certificateAuthorityFile(certificate.caPath))
            $0.taskSecret = TestTaskSecret.secret
            $0.redisWaitReplicas = 1
            $0.playTimeout = 20
        }
        let peer = try await rig.connect()
        let reply = try await peer.call("play", ["script": #"save_data("k", 6); load_data("k") * 7"#])
        #expect(reply["result"]?["output"]?.stringValue == "42", "\(reply)")
        try await rig.stop()

        guard CirclesBinary.shouldRun else { return }
        let circle = PrivateKey().publicKey.hex
        let served = try await ServeProcess.start(["--no-auth", "--no-workers", "--accept-unsigned-tasks", "--redis-url", cluster.url,
                                                        "--redis-tls-ca", certificate.caPath], circle: circle)
        defer { _ = served.process.kill(SIGKILL) }
        #expect(served.url.hasPrefix("ws://"), "\(CirclesBinary.read(served.err))")
        let directory = try TemporaryDirectory.make(prefix: "circles-tls-worker")
        let worker = try CirclesBinary.start(["worker", "--redis-url", cluster.url, "--redis-tls-ca", certificate.caPath,
                                              "--accept-unsigned-tasks", "--circle", circle, "--data-dir", directory + "/data"], in: directory)
        defer { _ = worker.process.kill(SIGKILL) }
        let (connection, events) = try await WebSocketClient.connect(to: served.url)
        let client = RPCPeer(connection: connection, events: events)
        let played = try await client.call("play", ["script": "\"over tls\""])
        #expect(played["result"]?["output"]?.stringValue == "over tls", "\(played) \(CirclesBinary.read(worker.err))")
        #expect(ChildProcess.exitCode(of: await served.process.stop(SIGTERM)) == 0)
    }

    /// The launcher's `--redis-tls-ca` (settings): its nodes trust the test CA for `rediss://`; a file
    /// that is not there starts nothing.
    @Test func aLauncherTrustsTheGivenCAForRedis() async throws {
        let certificate = try await TestCertificate.make()
        let redis = try await onDedicatedThread { try RedisServer(password: "pw", certificate: certificate) }
        defer { redis.stop() }
        var settings = LauncherSettings()
        settings.redisURL = redis.url
        settings.redisTLSCAFile = certificate.caPath
        settings.authRequired = false
        settings.taskSecret = TestTaskSecret.secret
        let (launcher, _) = try LauncherTests.launcher(ports: 1, settings: settings) { #"[{"name": "tls", "port": \#($0[0])}]"# }
        let running = Task { try await launcher.run() }
        let peer = try await LauncherTests.peer(launcher.circles[0].url)
        let reply = try await peer.call("play", ["script": "6 * 7"])
        #expect(reply["result"]?["output"]?.stringValue == "42", "\(reply)")
        launcher.stop()
        try await running.value

        settings.redisTLSCAFile = certificate.directory + "/missing.pem"
        #expect(throws: ConfigError.self) { _ = try LauncherTests.launcher(ports: 1, settings: settings) { #"[{"name": "tls", "port": \#($0[0])}]"# } }
    }
}
