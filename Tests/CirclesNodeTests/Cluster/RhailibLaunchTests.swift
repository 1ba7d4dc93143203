import CirclesTestSupport
import CircleClient
import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// `--rhailib-compat` on the launcher (issue 18): its nodes write tasks an original rhailib worker
/// answers, whether the command line says so for every node or a config entry for its own.
@Suite struct RhailibLaunchTests {
    enum Source: String, CaseIterable { case commandLine, configEntry }

    @Test(arguments: Source.allCases)
    func aLauncherNodeInCompatModeIsAnsweredByAnOriginalWorker(source: Source) async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        var settings = LauncherSettings()
        settings.redisURL = redis.url
        settings.runWorkers = false
        settings.authRequired = false
        settings.taskSecret = TestTaskSecret.secret
        settings.shutdownDeadline = 2
        settings.rhailibCompat = source == .commandLine
        let entry = source == .configEntry ? #", "rhailib_compat": true"# : ""
        let (launcher, _) = try LauncherTests.launcher(ports: 2, settings: settings) { ports in
            #"[{"name": "compat", "port": \#(ports[0])\#(entry)}, {"name": "other", "port": \#(ports[1])}]"#
        }
        let running = Task { try await launcher.run() }
        let url = redis.url
        let compat = try #require(launcher.circles.first { $0.name == "compat" })
        let peer = try await LauncherTests.peer(compat.url)
        let worker = Task { try await RhailibWireTests.originalWorker(url, circle: compat.publicKey) }
        let reply = try await peer.call("play", ["script": "40 + 2"])
        #expect(reply["result"]?["output"]?.stringValue == "ran: 40 + 2", "\(reply)")
        let fields = try await worker.value
        #expect(fields["reply_to"] == nil, "compat tasks name no reply_to")
        // The other entry's node follows the command line only.
        let other = try #require(launcher.circles.first { $0.name == "other" })
        let otherPeer = try await LauncherTests.peer(other.url)
        let otherWorker = Task { try await RhailibWireTests.originalWorker(url, circle: other.publicKey) }
        otherPeer.send("play", ["script": "1"])
        let otherFields = try await otherWorker.value
        #expect((otherFields["reply_to"] == nil) == (source == .commandLine), "\(otherFields)")
        launcher.stop()
        try await running.value
    }

    @Test func rhailibCompatInTheConfigIsABoolean() throws {
        func parse(_ text: String) throws -> LauncherConfig {
            try LauncherConfig.parse(try JSONParser.parse(text), file: "circles.json", directory: "/tmp", environment: [:])
        }
        #expect(try parse(#"[{"name": "a", "port": 1, "rhailib_compat": true}]"#).circles[0].rhailibCompat)
        #expect(try !parse(#"[{"name": "a", "port": 1}]"#).circles[0].rhailibCompat)
        #expect(throws: ConfigError.self) { try parse(#"[{"name": "a", "port": 1, "rhailib_compat": "yes"}]"#) }
    }

    @Test(.enabled(if: CirclesBinary.shouldRun, "needs .build/debug/circles (swift build; a failure in CI)"), .timeLimit(.minutes(2)))
    func circlesLaunchTakesTheFlag() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let directory = try TemporaryDirectory.make(prefix: "circles-launch-compat")
        let (process, out, _) = try await CirclesBinary.launch(in: directory, config: { #"[{"name": "solo", "port": \#($0)}]"# },
                                                               ["--redis-url", redis.url, "--no-workers", "--no-auth", "--rhailib-compat", "--json"],
                                                               until: { out, _ in out.hasSuffix("\n") })
        defer { _ = process.kill(SIGKILL) }
        let circle = try JSONParser.parse(CirclesBinary.read(out)).arrayValue?.first
        let url = try #require(circle?["url"]?.stringValue), key = try #require(circle?["public_key"]?.stringValue)
        let redisURL = redis.url
        let worker = Task { try await RhailibWireTests.originalWorker(redisURL, circle: key) }
        let client = try CircleClient.Builder(url: url).timeout(30).build()
        try await client.connect()
        #expect(try await client.play("6 * 7").output == "ran: 6 * 7")
        #expect(try await worker.value["reply_to"] == nil)
        await client.close()
        #expect(ChildProcess.exitCode(of: await process.stop(SIGTERM)) == 0)
    }
}
