#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TestSupport
import Testing
@testable import Transport

/// The connection itself: on the shared event loops, pipelined, TLS, and what happens when the
/// server misbehaves or goes away.
@Suite struct RedisConnectionTests {
    @Test func manyCallersShareOneConnectionAndEachGetsItsOwnReply() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let connection = try await RedisConnection.connect(RedisURL(server.url))
        defer { connection.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<1000 {
                group.addTask {
                    _ = try await connection.send(["SET", "key:\(index)", "value:\(index)"])
                    let replies = try await connection.pipeline([["GET", "key:\(index)"], ["STRLEN", "key:\(index)"]])
                    #expect(replies == [.bulk(Array("value:\(index)".utf8)), .integer(Int64("value:\(index)".utf8.count))])
                }
            }
            try await group.waitForAll()
        }
        #expect(try await connection.pipeline([]) == [])
    }

    @Test func largeValuesCrossManyReadsAndWrites() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let connection = try await RedisConnection.connect(RedisURL(server.url))
        defer { connection.close() }
        let big = (0..<(9 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        _ = try await connection.send(bytes: [Array("SET".utf8), Array("big".utf8), big])
        #expect(try await connection.send(["GET", "big"]) == .bulk(big))
        let slices = try await connection.pipeline(bytes: (0..<64).map { [Array("GETRANGE".utf8), Array("big".utf8), Array(String($0 << 16).utf8), Array(String(($0 << 16) + 65_535).utf8)] })
        #expect(slices.enumerated().allSatisfy { $0.element == .bulk(Array(big[($0.offset << 16)..<(($0.offset + 1) << 16)])) })
    }

    @Test func speaksTLSForARedissURLWithAuthAndSelect() async throws {
        let certificate = try await TestCertificate.make()
        let server = try await onDedicatedThread { try RedisServer(password: "pw", certificate: certificate) }
        defer { server.stop() }
        let trust = try TLSClientContext(trust: .certificateAuthorityFile(certificate.caPath))
        // Generous timeouts: a TLS handshake and AUTH under a fully loaded test run can take seconds.
        let client = RedisClient(url: try RedisURL("rediss://:pw@127.0.0.1:\(server.port)/2"), connections: 2, connectTimeout: 10, tls: trust)
        defer { client.close() }
        let value = [UInt8](repeating: 7, count: 300_000)
        _ = try await client.send(bytes: [Array("SET".utf8), Array("k".utf8), value])
        #expect(try await client.send(["GET", "k"]) == .bulk(value))
        #expect(try await client.send(["CLIENT", "INFO"]).string?.contains(" db=2 ") == true)
        let blocking = try await client.dedicated()
        defer { blocking.close() }
        let popped = Task { try await blocking.send(["BLPOP", "tls-queue", "5"]) }
        try await Wait.until(timeout: 30, "BLPOP to block") {
            (try? await client.send(["CLIENT", "LIST"]).string?.contains("cmd=blpop")) == true
        }
        _ = try await client.send(["RPUSH", "tls-queue", "x"])
        #expect(try await popped.value.array?.compactMap(\.string) == ["tls-queue", "x"])
        // A client that does not trust the test CA is refused, with the reason.
        let untrusted = RedisClient(url: try RedisURL("rediss://:pw@127.0.0.1:\(server.port)"), connectTimeout: 10, tls: try TLSClientContext(trust: .system))
        defer { untrusted.close() }
        do {
            _ = try await untrusted.send(["PING"])
            Issue.record("an untrusted certificate was accepted")
        } catch {
            guard case .connectFailed(let reason) = error else { throw error }
            #expect(reason.contains("TLS"))
        }
        // Plain Redis on a TLS port does not get an answer, and fails within its timeout.
        let plain = RedisClient(url: try RedisURL("redis://:pw@127.0.0.1:\(server.port)"), connectTimeout: 0.5)
        defer { plain.close() }
        await #expect(throws: RedisError.self) { try await plain.send(["PING"]) }
    }

    @Test(.timeLimit(.minutes(1))) func aServerThatNeverAnswersAuthFailsTheConnectWithinItsTimeout() async throws {
        let server = try ScriptedRedisServer { _ in [] }
        defer { server.stop() }
        do {
            _ = try await RedisConnection.connect(RedisURL("redis://:pw@127.0.0.1:\(server.port)/1"), timeout: 0.3)
            Issue.record("connected to a server that never answered")
        } catch {
            guard case .connectFailed(let reason) = error else { throw error }
            #expect(reason.contains("no reply within 0.3 s"))
        }
    }

    @Test func aMalformedReplyFailsEveryWaiterAndKillsTheConnection() async throws {
        let server = try ScriptedRedisServer { _ in Array("?what\r\n".utf8) }
        defer { server.stop() }
        let connection = try await RedisConnection.connect(RedisURL(server.url))
        let outcomes = await withTaskGroup(of: RedisError?.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do throws(RedisError) {
                        _ = try await connection.send(["PING"])
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.count == 20)
        #expect(outcomes.allSatisfy { if case .protocolError = $0 { true } else { false } })
        #expect(!connection.isAlive)
        await #expect(throws: RedisError.self) { try await connection.send(["PING"]) }
    }

    @Test func aReplyWithoutACommandEndsTheConnection() async throws {
        let server = try ScriptedRedisServer { _ in Array("+OK\r\n+UNASKED\r\n".utf8) }
        defer { server.stop() }
        let connection = try await RedisConnection.connect(RedisURL(server.url))
        #expect(try await connection.send(["PING"]) == .status("OK"))
        try await Wait.until(timeout: 30, "the connection to end") { !connection.isAlive }
        await #expect(throws: RedisError.protocolError("a reply without a command")) { try await connection.send(["PING"]) }
    }

    @Test func aServerThatHangsUpFailsWhatWaitsWithDisconnected() async throws {
        let server = try ScriptedRedisServer { _ in [] }
        let connection = try await RedisConnection.connect(RedisURL(server.url))
        let waiting = Task { try await connection.send(["BLPOP", "q", "0"]) }
        server.stop()
        do {
            _ = try await waiting.value
            Issue.record("a command outlived its connection")
        } catch let error as RedisError {
            guard case .disconnected = error else { throw error }
        }
        #expect(!connection.isAlive)
    }

    @Test func closingFailsWhatWaitsWithClosedAndReleasesTheServerSide() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let observer = try await RedisConnection.connect(RedisURL(server.url))
        defer { observer.close() }
        let connection = try await RedisConnection.connect(RedisURL(server.url))
        let waiting = Task { try await connection.send(["BLPOP", "q", "0"]) }
        try await Wait.until(timeout: 30, "BLPOP to block") {
            (try? await observer.send(["CLIENT", "LIST"]).string?.contains("cmd=blpop")) == true
        }
        connection.close()
        await #expect(throws: RedisError.closed) { try await waiting.value }
        await #expect(throws: RedisError.closed) { try await connection.send(["PING"]) }
        // A connection dropped without `close` is closed too.
        do {
            let dropped = try await RedisConnection.connect(RedisURL(server.url))
            #expect(try await dropped.send(["PING"]) == .status("PONG"))
        }
        try await Wait.until(timeout: 30, "the server to see only the observer") {
            (try? await observer.send(["CLIENT", "LIST"]).string?.split(separator: "\n").count) == 1
        }
    }

    @Test func connectionsShareTheEventLoopsInsteadOfStartingThreads() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let url = try RedisURL(server.url)
        _ = try await RedisConnection.connect(url).send(["PING"])
        let before = Self.threadCount()
        var connections: [RedisConnection] = []
        for _ in 0..<100 { connections.append(try await RedisConnection.connect(url)) }
        for connection in connections { #expect(try await connection.send(["PING"]) == .status("PONG")) }
        // Other suites run beside this one and may start a few threads of their own.
        #expect(Self.threadCount() - before < 50)
        for connection in connections { connection.close() }
    }

    private static func threadCount() -> Int {
        var entries = 0
        guard let directory = opendir("/proc/self/task") else { return 0 }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != UInt8(ascii: ".") { entries += 1 }
        }
        return entries
    }
}
