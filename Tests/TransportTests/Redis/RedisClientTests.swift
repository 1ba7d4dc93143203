import Synchronization
import TestSupport
import Testing
@testable import Transport

@Suite(.serialized) struct RedisClientTests {
    @Test func runsCommandsWithBinarySafeValuesNilsArraysAndErrors() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let client = try RedisClient(server.url)
        defer { client.close() }
        #expect(try await client.send(["SET", "k", "v"]) == .status("OK"))
        #expect(try await client.send(["GET", "k"]).string == "v")
        #expect(try await client.send(["GET", "missing"]).isNil)
        let binary: [UInt8] = [0, 13, 10, 255, 36, 42]
        _ = try await client.send(bytes: [Array("SET".utf8), Array("b".utf8), binary])
        #expect(try await client.send(["GET", "b"]) == .bulk(binary))
        _ = try await client.send(["RPUSH", "list", "a", "b", "c"])
        #expect(try await client.send(["LRANGE", "list", "0", "-1"]).array?.compactMap(\.string) == ["a", "b", "c"])
        await #expect(throws: RedisError.server("ERR value is not an integer or out of range")) {
            try await client.send(["INCR", "k"])
        }
        #expect(try await client.send(["INCR", "n"]).integer == 1)
    }

    @Test func runsAScriptForManyCallsInOnePipelineEvenWithAnEmptyScriptCache() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let client = try RedisClient(server.url)
        defer { client.close() }
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        let calls = (1...3).map { (keys: ["n\($0)"], arguments: [String($0 * 10)]) }
        // The server has never seen the script: every EVALSHA misses and is sent again with the text.
        #expect(try await client.run(script, calls: calls).map(\.integer) == [10, 20, 30])
        #expect(try await client.run(script, calls: calls).map(\.integer) == [20, 40, 60])
        _ = try await client.send(["SCRIPT", "FLUSH"])
        #expect(try await client.run(script, calls: calls).map(\.integer) == [30, 60, 90])
    }

    @Test func pipelinesManyConcurrentCommandsOnFewConnections() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let client = try RedisClient(server.url, connections: 2)
        defer { client.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2000 { group.addTask { _ = try await client.send(["INCR", "counter"]) } }
            try await group.waitForAll()
        }
        #expect(try await client.send(["GET", "counter"]).string == "2000")
        let replies = try await client.pipeline([["SET", "x", "1"], ["INCR", "x"], ["HSET", "x", "f", "v"], ["GET", "x"]])
        #expect(replies.count == 4)
        #expect(replies[1] == .integer(2))
        guard case .error = replies[2] else {
            Issue.record("expected WRONGTYPE")
            return
        }
        #expect(replies[3].string == "2")
    }

    @Test func authenticatesAndSelectsTheDatabaseOfTheURL() async throws {
        let server = try await onDedicatedThread { try RedisServer(password: "s3cret") }
        defer { server.stop() }
        let inDB3 = try RedisClient("redis://:s3cret@127.0.0.1:\(server.port)/3")
        defer { inDB3.close() }
        _ = try await inDB3.send(["SET", "where", "three"])
        let inDB0 = try RedisClient("redis://:s3cret@127.0.0.1:\(server.port)/0")
        defer { inDB0.close() }
        #expect(try await inDB0.send(["GET", "where"]).isNil)
        #expect(try await inDB3.send(["GET", "where"]).string == "three")
        let wrong = try RedisClient("redis://:nope@127.0.0.1:\(server.port)")
        await #expect(throws: RedisError.self) { try await wrong.send(["PING"]) }
    }

    @Test func blockingCommandsRunOnDedicatedConnections() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let client = try RedisClient(server.url, connections: 1)
        defer { client.close() }
        let blocking = try await client.dedicated()
        defer { blocking.close() }
        let moved = Task { try await blocking.send(["BLMOVE", "queue", "processing", "RIGHT", "LEFT", "5"]) }
        // The pooled connection stays free while BLMOVE waits.
        try await Wait.until(timeout: 30, "BLMOVE to block") {
            (try? await client.send(["CLIENT", "LIST"]).string?.contains("cmd=blmove")) == true
        }
        #expect(try await client.send(["LPUSH", "queue", "task-1"]).integer == 1)
        #expect(try await moved.value.string == "task-1")
        #expect(try await client.send(["LRANGE", "processing", "0", "-1"]).array?.compactMap(\.string) == ["task-1"])
    }

    @Test func failsFastWhileTheServerIsDownAndReconnectsWhenItReturns() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let client = try RedisClient(server.url, connections: 2)
        defer { client.close() }
        #expect(try await client.send(["PING"]) == .status("PONG"))
        let blocked = try await client.dedicated()
        let waiting = Task { try await blocked.send(["BLPOP", "never", "0"]) }
        try await Wait.until(timeout: 30, "BLPOP to block") {
            (try? await client.send(["CLIENT", "LIST"]).string?.contains("cmd=blpop")) == true
        }
        server.kill()
        // A command waiting on the dead server fails instead of hanging.
        await #expect(throws: RedisError.self) { try await waiting.value }
        let started = Wait.now()
        for _ in 0..<20 {
            await #expect(throws: RedisError.self) { try await client.send(["PING"]) }
        }
        #expect(Wait.now() - started < 15, "fast: no command waits for a server that is gone")
        try await onDedicatedThread { try server.start() }
        try await Wait.until(timeout: 30, "the client to reconnect") {
            (try? await client.send(["PING"])) == .status("PONG")
        }
        #expect(client.isConnected)
    }
}
