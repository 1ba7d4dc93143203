import CirclesCore
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// `circles worker` as real processes against a real redis-server: a worker killed with SIGKILL in
/// the middle of a task, and the caller still gets its answer, once, from another worker.
@Suite struct WorkerProcessTests {
    @Test(.enabled(if: CirclesBinary.isBuilt), .timeLimit(.minutes(2)))
    func aWorkerKilledMidTaskIsReplacedAndTheCallerAnsweredOnce() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let rig = try NodeRig {
            $0.redisURL = redis.url
            $0.runWorkers = false
            $0.playTimeout = 120
        }
        let directory = try TemporaryDirectory.make(prefix: "circles-workers")
        let arguments = ["worker", "--redis-url", redis.url, "--circle-public-key", rig.circle, "--data-dir", directory + "/data",
                         "--visibility-timeout", "3"]
        try FileManager.default.createDirectory(atPath: directory + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/b", withIntermediateDirectories: true)
        let first = try CirclesBinary.start(arguments, in: directory + "/a")
        let peer = try await rig.connect()
        // The script waits for a file the test creates only after the first worker is dead, so that
        // worker cannot finish it whatever the machine's load.
        let id = peer.send("play", ["script": "while list_data().len() == 0 { } \"finished\""])
        let client = try RedisClient(redis.url, connections: 1)
        try await Wait.until(timeout: 30, "the first worker to hold the task") {
            let keys = (try? await client.send(["KEYS", "rhailib:processing:*"]))?.array?.compactMap(\.string) ?? []
            for key in keys where ((try? await client.send(["LLEN", key]))?.integer ?? 0) > 0 { return true }
            return false
        }
        await first.process.stop(SIGKILL)
        close(open(directory + "/data/\(rig.circle)/data/go", O_WRONLY | O_CREAT, 0o600))
        let second = try CirclesBinary.start(arguments, in: directory + "/b")
        let reply = try await peer.next()
        #expect(reply["id"]?.intValue == id)
        #expect(reply["result"]?["output"]?.stringValue == "finished", "\(reply)")
        #expect(try await peer.call("whoami")["result"]?["circle"]?.stringValue == rig.circle, "no second answer came first")
        #expect(CirclesBinary.read(second.err).contains("taking tasks"))
        let status = await second.process.stop(SIGTERM)
        #expect(ChildProcess.exitCode(of: status) == 0)
        try await rig.stop()
    }
}
