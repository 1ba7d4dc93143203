import CirclesCore
import CirclesTestSupport
import Foundation
import TestSupport
import Testing
@testable import CirclesNode
import Transport

/// The rhailib wire both ways (SPEC 5): our gateway in compat mode served by a worker that behaves as
/// the original rhailib worker does; our worker of every circle finding a queue that only an original
/// rhailib client wrote; and the commit's WAIT for replicas.
@Suite struct RhailibWireTests {
    /// An original rhailib worker, as far as the wire goes: takes an id from the circle's queue, reads
    /// the task, writes its status and output, and pushes its task details to `rhailib:reply:{id}`.
    static func originalWorker(_ url: String, circle: String, error: String? = nil) async throws -> [String: String] {
        let connection = try await RedisConnection.connect(RedisURL(url))
        defer { connection.close() }
        while true {
            let popped = try await connection.send(["BRPOP", "rhailib:\(circle)", "1"])
            guard let id = popped.array?.last?.string else { continue }
            let flat = try await connection.send(["HGETALL", "rhailib:\(id)"]).array?.compactMap(\.string) ?? []
            var fields: [String: String] = [:]
            for index in stride(from: 0, to: flat.count - 1, by: 2) { fields[flat[index]] = flat[index + 1] }
            let output = "ran: " + (fields["script"] ?? "")
            var details: JSONObject = ["task_id": .string(id), "script": .string(fields["script"] ?? ""),
                                       "status": .string(error == nil ? "completed" : "error"),
                                       "output": error == nil ? .string(output) : .null, "error": error.map(JSON.string) ?? .null,
                                       "caller_id": .string(fields["caller_id"] ?? ""), "context_id": .string(fields["context_id"] ?? "")]
            details["created_at"] = .int(0)
            _ = try await connection.send(["HSET", "rhailib:\(id)", "status", error == nil ? "completed" : "error", "output", output])
            _ = try await connection.send(["LPUSH", "rhailib:reply:\(id)", JSON.object(details).serialized])
            return fields
        }
    }

    @Test func aCompatGatewayIsAnsweredByAnOriginalRhailibWorker() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let rig = try NodeRig(redis: redis.url, workers: false) {
            $0.rhailibCompat = true
            $0.playTimeout = 20
        }
        let peer = try await rig.connect()
        let url = redis.url, circle = rig.circle
        let worker = Task { try await Self.originalWorker(url, circle: circle) }
        let reply = try await peer.call("play", ["script": "40 + 2"])
        #expect(reply["result"]?["output"]?.stringValue == "ran: 40 + 2", "\(reply)")
        let fields = try await worker.value
        #expect(fields["reply_to"] == nil, "compat tasks name no reply_to")
        #expect(fields["context_id"] == circle)
        // An error as the original worker reports it: a plain string.
        let failing = Task { try await Self.originalWorker(url, circle: circle, error: "boom") }
        let failed = try await peer.call("play", ["script": "throw"])
        #expect(failed["error"]?["data"]?["message"]?.stringValue == "boom", "\(failed)")
        _ = try await failing.value
        try await rig.stop()
    }

    @Test func aCompatGatewayIsAnsweredByOurWorkersToo() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let rig = try NodeRig(redis: redis.url) {
            $0.rhailibCompat = true
            $0.playTimeout = 20
        }
        let peer = try await rig.connect()
        for index in 0..<5 {
            peer.send("play", ["script": .string("\(index) * 2")])
        }
        var outputs: Set<String> = []
        for _ in 0..<5 { outputs.insert(try await peer.next()["result"]?["output"]?.stringValue ?? "?") }
        #expect(outputs == ["0", "2", "4", "6", "8"])
        try await rig.stop()
    }

    @Test func aWorkerOfEveryCircleFindsAQueueOnlyAnOriginalClientWrote() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        var options = RedisTaskSource.Options()
        options.acceptUnsignedTasks = true
        options.discoveryInterval = 0.2
        let worker = try StandaloneWorker(redisURL: redis.url, dataDirectory: try TemporaryDirectory.make(prefix: "circles-wire"),
                                          concurrency: 1, queueOptions: options, policies: { _ in .open })
        let running = Task { try await worker.run() }
        let circle = PrivateKey().publicKey.hex
        let client = try RedisClient(redis.url, connections: 1)
        defer { client.close() }
        // The original rhailib client: a task hash and an id on the circle's queue; no rhailib:circles.
        let id = UUID().uuidString.lowercased()
        let now = String(Int(Date().timeIntervalSince1970))
        _ = try await client.send(["HSET", "rhailib:\(id)", "script", "\"found\"", "caller_id", circle, "context_id", circle,
                                   "status", "pending", "created_at", now, "updated_at", now])
        _ = try await client.send(["LPUSH", "rhailib:\(circle)", id])
        let reply = try await client.send(["BRPOP", "rhailib:reply:\(id)", "30"])
        let json = try JSONParser.parse(try #require(reply.array?.last?.string))
        #expect(json["output"]?.stringValue == "found", "\(json)")
        #expect(try await client.send(["SISMEMBER", "rhailib:circles", circle]).integer == 0)
        #expect(RedisTaskKeys.circle(ofQueue: "rhailib:\(circle)") == circle)
        #expect(RedisTaskKeys.circle(ofQueue: "rhailib:\(id)") == nil)
        #expect(RedisTaskKeys.circle(ofQueue: "rhailib:04" + String(circle.dropFirst(2))) == nil)
        worker.stop()
        _ = try? await running.value
    }

    @Test func theCommitWaitsForAReplicaBeforeThePlayIsAnswered() async throws {
        let cluster = try await onDedicatedThread { try RedisSentinelCluster() }
        let rig = try NodeRig(redis: cluster.url) {
            $0.redisWaitReplicas = 1
            $0.playTimeout = 20
        }
        let peer = try await rig.connect()
        let reply = try await peer.call("play", ["script": "save_data(\"k\", 7); \"saved\""])
        #expect(reply["result"]?["output"]?.stringValue == "saved", "\(reply)")
        // Answered means on the replica too.
        let replica = try await RedisConnection.connect(RedisURL("redis://127.0.0.1:\(cluster.replicaPort)"))
        defer { replica.close() }
        #expect(try await replica.send(["HGET", "rhailib:data:\(rig.circle)", "k"]).string == "7")
        // A replica that cannot answer holds the answer back (up to the WAIT's 1 s).
        cluster.pauseReplica(for: 0.6)
        let started = Wait.now()
        let held = try await peer.call("play", ["script": "save_data(\"k\", 8); \"held\""])
        #expect(held["result"]?["output"]?.stringValue == "held", "\(held)")
        #expect(Wait.now() - started >= 0.5, "answered after \(Wait.now() - started) s, before the replica had the write")
        try await rig.stop()
    }

    @Test func withoutReplicasTheWaitTimesOutAndThePlayIsStillAnswered() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        var options = RedisTaskSource.Options()
        options.secret = TestTaskSecret.secret
        options.waitReplicas = 1
        options.waitTimeout = 0.2
        let client = try RedisClient(redis.url, connections: 2)
        defer { client.close() }
        let source = RedisTaskSource(client: client, options: options)
        let queue = RedisTaskQueue(client: client, secret: TestTaskSecret.secret)
        queue.start()
        defer { queue.stop() }
        let circle = PrivateKey().publicKey.hex
        let submitted = Task { try await queue.submit(ScriptTask(circle: circle, caller: circle, script: "1", createdAt: 0), timeout: 20) }
        let task = try #require(try await onDedicatedThread { try source.take(circles: [circle], worker: "w1") })
        let completion = try await onDedicatedThread {
            try source.complete(TaskResult(taskId: task.id, outcome: .success("done")), commit: nil, worker: "w1")
        }
        #expect(completion == .recorded)
        #expect(try await submitted.value.outcome == .success("done"))
        #expect(source.replicaShortfalls.load(ordering: .relaxed) == 1)
    }
}
