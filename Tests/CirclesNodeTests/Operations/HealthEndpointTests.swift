#if canImport(Glibc)
import CirclesTestSupport
import Glibc
#endif
import CirclesCore
import Foundation
import Testing
import TestSupport
@testable import CirclesNode
@testable import Supervision

/// `/health/live`, `/health/ready` and `/health` with and without Redis, and Redis going away.
@Suite struct HealthEndpointTests {
    @Test func anEmbeddedNodeIsLiveAndReady() async throws {
        let rig = try NodeRig()
        #expect(try await rig.get("/health/live").status == 200)
        let ready = try await rig.get("/health/ready")
        #expect(ready.status == 200)
        #expect(try JSONParser.parse(ready.body)["redis"] == nil)
        let health = try await rig.get("/health")
        #expect(health.status == 200)
        let body = try JSONParser.parse(health.body)
        #expect(body["version"]?.stringValue == CirclesVersion.current)
        #expect((body["uptime_seconds"]?.doubleValue ?? -1) >= 0)
        #expect(body["redis"]?.stringValue == "unused")
        try await rig.stop()
    }

    /// The tree's state words on `/health` are the ones operators and the playground read.
    @Test func theSupervisorTreeKeepsItsStateWords() {
        let leaf = { (id: String, state: ChildState) in
            ChildSnapshot(id: id, kind: .worker, restart: .permanent, state: state, restarts: 0, mailboxDepth: nil, subtree: nil)
        }
        let inner = SupervisorSnapshot(id: "inner", strategy: "one_for_all", state: .failed, restarts: 2, children: [leaf("e", .stopping)])
        let tree = SupervisorSnapshot(id: "root", strategy: "one_for_one", state: .running, restarts: 1, children: [
            leaf("a", .starting), leaf("b", .running), leaf("c", .restarting), leaf("d", .stopped),
            ChildSnapshot(id: "s", kind: .supervisor, restart: .transient, state: .running, restarts: 3, mailboxDepth: 4, subtree: inner),
        ])
        let child = { (id: String, state: String) in
            #"{"id":"\#(id)","kind":"worker","restart":"permanent","state":"\#(state)","restarts":0}"#
        }
        let expected = #"{"id":"root","strategy":"one_for_one","state":"running","restarts":1,"children":["#
            + [child("a", "starting"), child("b", "running"), child("c", "restarting"), child("d", "stopped")].joined(separator: ",")
            + #",{"id":"s","kind":"supervisor","restart":"transient","state":"running","restarts":3,"mailbox_depth":4,"subtree":"#
            + #"{"id":"inner","strategy":"one_for_all","state":"failed","restarts":2,"children":["# + child("e", "stopping") + "]}}]}"
        #expect(NodeRuntime.json(tree).serialized == expected)
        let words = [SupervisorState.idle, .starting, .running, .stopping, .stopped, .failed].map(\.rawValue)
        #expect(words == ["idle", "starting", "running", "stopping", "stopped", "failed"])
    }

    @Test(.timeLimit(.minutes(2)))
    func withoutRedisTheNodeIsLiveButNotReadyNorHealthy() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let rig = try NodeRig(redis: redis.url)
        try await Wait.until(timeout: 20, "the node to be ready") { (try? await rig.get("/health/ready").status) == 200 }
        let up = try JSONParser.parse(try await rig.get("/health").body)
        #expect(up["redis"]?.stringValue == "ok")
        #expect(up["queue_depth"]?[rig.circle]?.intValue == 0)
        #expect(try await rig.get("/metrics").body.contains("circles_queue_depth_unknown 0"))

        redis.kill()
        let ready = try await rig.get("/health/ready")
        #expect(ready.status == 503)
        #expect(try JSONParser.parse(ready.body)["redis"]?.stringValue == "unreachable")
        #expect(try await rig.get("/health/live").status == 200)
        let health = try await rig.get("/health")
        #expect(health.status == 503)
        let body = try JSONParser.parse(health.body)
        #expect(body["status"]?.stringValue == "degraded")
        #expect(body["redis"]?.stringValue == "unreachable")
        #expect(body["queue_depth"]?.stringValue == "unknown")
        let metrics = try await rig.get("/metrics").body
        #expect(metrics.contains("circles_queue_depth_unknown 1"))
        #expect(!metrics.contains("circles_queue_depth{"), "a depth made up while Redis is down")

        try await onDedicatedThread { try redis.start() }
        try await Wait.until(timeout: 30, "the node to be ready again") { (try? await rig.get("/health/ready").status) == 200 }
        try await rig.stop()
    }

    @Test(.timeLimit(.minutes(2)))
    func aRedisThatNeverAnswersDoesNotHoldTheProbe() async throws {
        let port = try FreePort.next()
        let redis = try ChildProcess(try Executables.find("redis-server"),
                                     ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                      "--dir", try TemporaryDirectory.make(prefix: "circles-redis-stopped")])
        defer {
            redis.signal(SIGCONT)
            redis.kill(SIGKILL)
        }
        let rig = try NodeRig(redis: "redis://127.0.0.1:\(port)")
        try await Wait.until(timeout: 20, "the node to be ready") { (try? await rig.get("/health/ready").status) == 200 }
        redis.signal(SIGSTOP)
        let started = Wait.now()
        let ready = try await rig.get("/health/ready")
        #expect(ready.status == 503)
        #expect(Wait.now() - started < 10, "the probe waited for Redis")
        redis.signal(SIGCONT)
        try await Wait.until(timeout: 30, "the node to be ready again") { (try? await rig.get("/health/ready").status) == 200 }
        try await rig.stop()
    }
}
