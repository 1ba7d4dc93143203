#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing
@testable import Transport

/// `redis+sentinel://`: the master found through the sentinels, found again after a failover by the
/// pool and by blocking connections, and a connection that hears READONLY dropped.
@Suite struct RedisSentinelTests {
    @Test func sentinelURLsParse() throws {
        let url = try RedisURL("redis+sentinel://:pw@10.0.0.1:26379,[::1]:26380,sentinel-c/main/3")
        #expect(url.sentinels == [.init(host: "10.0.0.1", port: 26379), .init(host: "::1", port: 26380), .init(host: "sentinel-c", port: 26379)])
        #expect(url.masterName == "main")
        #expect(url.database == 3)
        #expect(url.password == "pw")
        #expect(url.usesSentinel)
        #expect(url.description == "redis+sentinel://:***@10.0.0.1:26379,[::1]:26380,sentinel-c:26379/main/3")
        #expect(try RedisURL("redis+sentinel://h:1/m").database == 0)
        for bad in ["redis+sentinel://h:1", "redis+sentinel://h:1/", "redis+sentinel://h:99999/m", "redis+sentinel:///m", "redis+sentinel://h:1/m/x"] {
            #expect(throws: RedisError.self, "\(bad)") { try RedisURL(bad) }
        }
        #expect(!(try RedisURL("redis://h:1")).usesSentinel)
    }

    @Test func aReadOnlyReplyDropsTheConnection() async throws {
        let cluster = try await onDedicatedThread { try RedisSentinelCluster() }
        let replica = try await RedisConnection.connect(RedisURL("redis://127.0.0.1:\(cluster.replicaPort)"))
        await #expect(throws: RedisError.self) { _ = try await replica.send(["SET", "k", "v"]) }
        #expect(!replica.isAlive)
        let blocking = try await onDedicatedThread { try RedisBlockingConnection(RedisURL("redis://127.0.0.1:\(cluster.replicaPort)")) }
        #expect(try await onDedicatedThread { try blocking.pipeline([["SET", "k", "v"]]) }.first.map { if case .error = $0 { true } else { false } } == true)
        #expect(!blocking.isAlive)
    }

    @Test func thePoolAndBlockingConnectionsFindTheNewMasterAfterAFailover() async throws {
        let cluster = try await onDedicatedThread { try RedisSentinelCluster() }
        let url = try RedisURL(cluster.url)
        let client = RedisClient(url: url, connections: 2)
        defer { client.close() }
        _ = try await client.send(["SET", "committed", "yes"])
        // The write reached the replica before the master died: it survives the failover.
        #expect(try await client.send(["WAIT", "1", "5000"]).integer == 1)
        let blocking = try await onDedicatedThread { try RedisBlockingConnection(url) }
        #expect(try await onDedicatedThread { try blocking.send(["GET", "committed"]) }.string == "yes")
        let oldMaster = cluster.masterPort
        cluster.killMaster()
        try await onDedicatedThread { try cluster.waitForFailover() }
        #expect(cluster.masterPort != oldMaster)
        // The pool's connections died with the master; new ones ask the sentinels.
        try await Wait.until(timeout: 60, "the pool to reach the new master") {
            (try? await client.send(["GET", "committed"]))?.string == "yes"
        }
        _ = try await client.send(["SET", "after", "failover"])
        let stale = await onDedicatedThread { try? blocking.send(["GET", "committed"]) }
        #expect(stale == nil, "the old connection is dead")
        let fresh = try await onDedicatedThread { try RedisBlockingConnection(url) }
        #expect(try await onDedicatedThread { try fresh.send(["GET", "after"]) }.string == "failover")
        #expect(try await onDedicatedThread { try fresh.send(["ROLE"]) }.array?.first?.string == "master")
    }

    @Test func noSentinelMeansAClearConnectError() async throws {
        let port = try FreePort.next()
        await #expect(throws: RedisError.self) {
            _ = try await RedisConnection.connect(RedisURL("redis+sentinel://127.0.0.1:\(port)/circles"), timeout: 1)
        }
    }
}
