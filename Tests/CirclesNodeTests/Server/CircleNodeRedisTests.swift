import CirclesCore
import CirclesTestSupport
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// The node with `--redis-url`: plays go through a real redis-server to workers in this node or in a
/// separate worker; an outage fails plays fast and keeps sessions, and the node recovers by itself.
@Suite struct CircleNodeRedisTests {
    @Test func playsGoThroughRedisAndSurviveAnOutage() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let rig = try NodeRig(redis: redis.url) {
            $0.playTimeout = 10
        }
        let peer = try await rig.connect()
        let first = try await peer.call("play", ["script": "CIRCLE_PUBLIC_KEY.len()"])
        #expect(first["result"]?["output"]?.stringValue == "66", "\(first)")
        redis.kill()
        let started = Wait.now()
        let failed = try await peer.call("play", ["script": "1"])
        #expect(failed["error"]?["code"]?.intValue == -32603)
        #expect(failed["error"]?["message"]?.stringValue?.isEmpty == false)
        #expect(Wait.now() - started < 8, "fast: inside the 10 s play timeout")
        try await onDedicatedThread { try redis.start() }
        try await Wait.until(timeout: 20, "plays to work again") {
            (try? await peer.call("play", ["script": "\"back\""]))?["result"]?["output"]?.stringValue == "back"
        }
        // The node's workers met the outage too, and counted it.
        let metrics = try await rig.get("/metrics").body
        let errors = metrics.split(separator: "\n").first { $0.hasPrefix("circles_worker_queue_errors_total ") }
        #expect((errors?.split(separator: " ").last.flatMap { Int($0) } ?? 0) > 0, "\(errors ?? "none")")
        try await rig.stop()
    }

    @Test func playsStillQueuedWhenTheNodeStopsAreWithdrawn() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        // No workers anywhere: the play stays queued through the drain, which gives up after 0.2 s.
        let rig = try NodeRig(redis: redis.url, workers: false) {
            $0.shutdownDeadline = 0.2
        }
        let peer = try await rig.connect()
        peer.send("play", ["script": "save_data(\"ran\", true)"])
        let client = try RedisClient(redis.url, connections: 1)
        try await Wait.until(timeout: 20, "the play queued") {
            (try? await client.send(["LLEN", "rhailib:\(rig.circle)"]))?.integer == 1
        }
        let id = try #require(try await client.send(["LRANGE", "rhailib:\(rig.circle)", "0", "0"]).array?.first?.string)
        try await rig.stop()
        #expect(try await client.send(["LLEN", "rhailib:\(rig.circle)"]).integer == 0, "no worker will find it")
        #expect(try await client.send(["HGET", "rhailib:\(id)", "status"]).string == "error")
        #expect(try await client.send(["HGET", "rhailib:\(id)", "error"]).string?.contains("withdrawn: the node stopped") == true)
    }

    @Test func aNodeWithoutWorkersIsServedByASeparateWorker() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let rig = try NodeRig(redis: redis.url, workers: false)
        let worker = try StandaloneWorker(redisURL: redis.url, circles: [rig.circle],
                                          dataDirectory: try TemporaryDirectory.make(prefix: "circles-worker"), concurrency: 4,
                                          queueOptions: TestTaskSecret.signed(RedisTaskSource.Options()), policies: { _ in .open })
        let working = Task { try await worker.run() }
        let peer = try await rig.connect()
        for index in 0..<10 {
            peer.send("play", ["script": .string("save_data(\"n\(index)\", \(index)); load_data(\"n\(index)\") * 2")])
        }
        var outputs: Set<String> = []
        for _ in 0..<10 { outputs.insert(try await peer.next()["result"]?["output"]?.stringValue ?? "?") }
        #expect(outputs == Set((0..<10).map { String($0 * 2) }))
        let health = try JSONParser.parse(try await rig.get("/health").body)
        #expect(health["queue"]?.stringValue == "redis")
        let ids = health["supervisor"]?["children"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(ids?.filter { !$0.hasPrefix("nonces") } == ["queue", "sessions", "listener"])
        worker.stop()
        try await working.value
        try await rig.stop()
    }
}
