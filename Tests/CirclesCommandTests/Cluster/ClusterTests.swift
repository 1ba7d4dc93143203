#if canImport(Glibc)
import Codecs
import Glibc
#endif
import CircleClient
import CirclesCore
import Foundation
import TestSupport
import Testing
import Transport

/// Two nodes, two worker processes and Redis on loopback (SPEC 5 and 10 with several nodes): plays and
/// sign requests through both nodes while a node, a worker and (with Sentinel) the Redis master die.
/// Every play answered is answered once, with its own result.
@Suite(.serialized) struct ClusterTests {
    /// A play whose output names it.
    private static func script(_ tag: String) -> String { "let x = 0; for i in 0..2000 { x += i; } \"\(tag)\"" }

    /// Sends `count` plays tagged `prefix-N` through `player`; returns the ids with their tags.
    private static func burst(_ player: ClusterPlayer, _ prefix: String, _ count: Int) -> [Int64: String] {
        var sent: [Int64: String] = [:]
        for index in 0..<count {
            let tag = "\(prefix)-\(index)"
            sent[player.play(script(tag))] = tag
        }
        return sent
    }

    /// Waits until every id in `sent` has a reply (or the player's connection closed).
    private static func settle(_ player: ClusterPlayer, _ sent: [Int64: String], timeout: Double = 90) async throws {
        try await Wait.until(timeout: timeout, "\(sent.count) plays on \(player.url) to be answered") {
            player.isClosed || sent.keys.allSatisfy { player.replies[$0] != nil }
        }
    }

    /// Every reply is the only one for its id and carries its own play's output; returns how many succeeded.
    @discardableResult
    private static func checkExactlyOnce(_ player: ClusterPlayer, _ sent: [Int64: String], mustSucceed: Bool) -> Int {
        var succeeded = 0
        for (id, tag) in sent {
            guard let replies = player.replies[id] else {
                #expect(!mustSucceed, "play \(tag) unanswered")
                continue
            }
            #expect(replies.count == 1, "play \(tag) answered \(replies.count) times")
            if let output = replies[0]["result"]?["output"]?.stringValue {
                #expect(output == tag, "play \(tag) got \(output)")
                succeeded += 1
            } else {
                #expect(!mustSucceed, "play \(tag) failed: \(replies[0])")
            }
        }
        return succeeded
    }

    private static func signs(_ rig: ClusterRig, on node: Int, _ key: SignerPrivateKey) async throws -> Bool {
        let message = Array("m-\(node)".utf8)
        let reply = try await rig.sign(on: node, key: key.publicKey, message: message)
        guard reply.status == 200, let signature = reply.json?["signature"]?.stringValue.flatMap(Base64.decode) else { return false }
        return key.publicKey.verify(signature: signature, message: SignatureDomain.signRequest(message))
    }

    @Test(.enabled(if: CirclesBinary.isBuilt))
    func twoNodesAndTwoWorkersOnOneRedisOutliveANodeAndAWorker() async throws {
        let redis = try await onDedicatedThread { try RedisServer() }
        defer { redis.stop() }
        let rig = try ClusterRig(redisURL: redis.url)
        try await rig.startNode()
        try await rig.startNode()
        try rig.startWorker()
        try rig.startWorker([])  // a worker of every circle
        let (a, b) = (try await ClusterPlayer.connect(rig.nodes[0].url), try await ClusterPlayer.connect(rig.nodes[1].url))

        // Plays through both nodes; a signer on A answers sign requests made on B.
        let first = (Self.burst(a, "a1", 20), Self.burst(b, "b1", 20))
        let key = SignerPrivateKey.secp256k1(PrivateKey())
        let signer = CircleSigner(url: rig.nodes[0].signURL, key: key)
        try await signer.connect()
        try await Wait.until(timeout: 30, "B to sign with A's signer") { (try? await Self.signs(rig, on: 1, key)) == true }
        #expect(try await Self.signs(rig, on: 0, key))
        try await Self.settle(a, first.0)
        try await Self.settle(b, first.1)
        #expect(Self.checkExactlyOnce(a, first.0, mustSucceed: true) == 20)
        #expect(Self.checkExactlyOnce(b, first.1, mustSucceed: true) == 20)

        // Node A dies with plays in flight: B goes on; A's signer registration leaves the directory.
        let doomed = Self.burst(a, "a2", 20)
        await rig.killNode(0)
        try await Self.settle(a, doomed)
        Self.checkExactlyOnce(a, doomed, mustSucceed: false)
        try await Wait.until(timeout: 60, "A's registration to expire") {
            (try? await rig.sign(on: 1, key: key.publicKey, message: [1]))?.status == 404
        }
        _ = await signer.waitUntilClosed()
        let moved = CircleSigner(url: rig.nodes[1].signURL, key: key)
        try await moved.connect()
        #expect(try await Self.signs(rig, on: 1, key))

        // A worker dies with tasks leased: the other runs them (leases re-queued after 2 s), each once.
        let second = Self.burst(b, "b2", 30)
        await rig.killWorker(0)
        try await Self.settle(b, second)
        #expect(Self.checkExactlyOnce(b, second, mustSucceed: true) == 30)

        // A new node joins and serves at once.
        let third = try await rig.startNode()
        let c = try await ClusterPlayer.connect(rig.nodes[third].url)
        let fourth = Self.burst(c, "c1", 10)
        try await Self.settle(c, fourth)
        #expect(Self.checkExactlyOnce(c, fourth, mustSucceed: true) == 10)
        #expect(try await Self.signs(rig, on: 2, key))
        moved.close()
        a.close(); b.close(); c.close()
    }

    @Test(.enabled(if: CirclesBinary.isBuilt))
    func nodesAndWorkersFindTheNewRedisMasterAfterAFailover() async throws {
        let cluster = try await onDedicatedThread { try RedisSentinelCluster() }
        // Commits wait for the replica, so an answered play's write survives the master.
        let rig = try ClusterRig(redisURL: cluster.url, common: ["--grant", "*=data.read", "--grant", "*=data.write", "--redis-wait-replicas", "1"])
        try await rig.startNode()
        try await rig.startNode()
        try rig.startWorker()
        try rig.startWorker()
        let (a, b) = (try await ClusterPlayer.connect(rig.nodes[0].url), try await ClusterPlayer.connect(rig.nodes[1].url))
        let key = SignerPrivateKey.ed25519(Ed25519PrivateKey())
        let signer = CircleSigner(url: rig.nodes[0].signURL, key: key)
        try await signer.connect()
        try await Wait.until(timeout: 30, "B to sign with A's signer") { (try? await Self.signs(rig, on: 1, key)) == true }
        var acknowledged: [String] = []
        func writes(_ player: ClusterPlayer, _ prefix: String, _ count: Int) -> [Int64: String] {
            var sent: [Int64: String] = [:]
            for index in 0..<count {
                let tag = "\(prefix)-\(index)"
                sent[player.play("save_data(\"\(tag)\", \"\(tag)\"); \"\(tag)\"")] = tag
            }
            return sent
        }
        func answered(_ player: ClusterPlayer, _ sent: [Int64: String]) -> [String] {
            sent.compactMap { id, tag in player.replies[id]?.first?["result"]?["output"]?.stringValue == tag ? tag : nil }
        }
        let before = (writes(a, "a1", 10), writes(b, "b1", 10))
        try await Self.settle(a, before.0)
        try await Self.settle(b, before.1)
        #expect(Self.checkExactlyOnce(a, before.0, mustSucceed: true) == 10)
        #expect(Self.checkExactlyOnce(b, before.1, mustSucceed: true) == 10)
        acknowledged += answered(a, before.0) + answered(b, before.1)

        // The master dies with plays in flight: they fail fast or complete, none twice.
        let during = (writes(a, "a2", 10), writes(b, "b2", 10))
        cluster.killMaster()
        try await onDedicatedThread { try cluster.waitForFailover() }
        try await Self.settle(a, during.0)
        try await Self.settle(b, during.1)
        Self.checkExactlyOnce(a, during.0, mustSucceed: false)
        Self.checkExactlyOnce(b, during.1, mustSucceed: false)
        acknowledged += answered(a, during.0) + answered(b, during.1)

        // Both nodes and the workers reach the new master by themselves.
        for (player, name) in [(a, "a"), (b, "b")] {
            var attempt = 0
            try await Wait.until(timeout: 90, "node \(name) to play again after the failover") {
                attempt += 1
                let probe = Self.burst(player, "\(name)-probe-\(attempt)", 1)
                try? await Self.settle(player, probe, timeout: 30)
                return probe.keys.contains { player.replies[$0]?.first?["result"] != nil }
            }
        }
        // (No replica is left: each commit now waits out its 1 s WAIT; a few plays suffice.)
        let after = (writes(a, "a3", 3), writes(b, "b3", 3))
        try await Self.settle(a, after.0)
        try await Self.settle(b, after.1)
        #expect(Self.checkExactlyOnce(a, after.0, mustSucceed: true) == 3)
        #expect(Self.checkExactlyOnce(b, after.1, mustSucceed: true) == 3)
        acknowledged += answered(a, after.0) + answered(b, after.1)

        // Every acknowledged play's write is on the new master.
        let redis = RedisClient(url: try RedisURL(cluster.url), connections: 1)
        defer { redis.close() }
        let stored = try await redis.send(["HGETALL", "rhailib:data:\(rig.circle)"]).array?.compactMap(\.string) ?? []
        let paths = Set(stride(from: 0, to: stored.count, by: 2).map { stored[$0] })
        for tag in acknowledged { #expect(paths.contains(tag), "the answered write \(tag) is lost") }
        #expect(acknowledged.count >= 26)
        // The signing directory lives on the new master too (rewritten by the heartbeat if it was lost).
        try await Wait.until(timeout: 60, "B to sign with A's signer after the failover") { (try? await Self.signs(rig, on: 1, key)) == true }
        signer.close()
        a.close(); b.close()
    }
}
