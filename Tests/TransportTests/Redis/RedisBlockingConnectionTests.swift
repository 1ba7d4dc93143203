#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import TestSupport
import Testing
@testable import Transport

/// The blocking connection of worker threads: every call runs on a dedicated thread, as in the worker.
@Suite struct RedisBlockingConnectionTests {
    @Test func pipelinesAuthenticatesSelectsAndReadsLargeReplies() async throws {
        let server = try await onDedicatedThread { try RedisServer(password: "s3cret") }
        defer { server.stop() }
        try await onDedicatedThread {
            let connection = try RedisBlockingConnection(RedisURL(server.url + "/3"))
            let big = String(repeating: "x", count: 200_000)
            let replies = try connection.pipeline([["SET", "k", big], ["STRLEN", "k"], ["GET", "k"], ["NOSUCHCOMMAND"]])
            #expect(replies[0] == .status("OK"))
            #expect(replies[1] == .integer(200_000))
            #expect(replies[2] == .bulk(Array(big.utf8)))
            guard case .error = replies[3] else { throw Failure("an error reply as a value") }
            #expect(throws: RedisError.self) { try connection.send(["NOSUCHCOMMAND"]) }
            #expect(connection.isAlive, "an error reply does not end the connection")
            #expect(try connection.send(["CLIENT", "INFO"]).string?.contains("db=3") == true)
        }
        await #expect(throws: RedisError.self) {
            try await onDedicatedThread { _ = try RedisBlockingConnection(RedisURL(server.url.replacingOccurrences(of: "s3cret", with: "wrong"))) }
        }
    }

    @Test func aRefusedPortFailsAtOnceAndADeadServerEndsTheConnection() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let port = try FreePort.next()
        await #expect(throws: RedisError.self) {
            try await onDedicatedThread { _ = try RedisBlockingConnection(RedisURL("redis://127.0.0.1:\(port)")) }
        }
        let connection = try await onDedicatedThread { try RedisBlockingConnection(RedisURL(server.url)) }
        // Blocked in BLPOP when the server dies: the call fails and the connection is dead.
        let outcome = Task { await onDedicatedThread { Result { try connection.send(["BLPOP", "nothing", "30"]) } } }
        try await Wait.until(timeout: 10, "the BLPOP to block") {
            (try? await RedisClient(server.url).send(["CLIENT", "LIST"]).string?.contains("cmd=blpop")) == true
        }
        server.kill()
        guard case .failure(let error) = await outcome.value, case .disconnected = error as? RedisError else {
            throw Failure("expected .disconnected")
        }
        #expect(!connection.isAlive)
    }

    @Test func closeFromAnotherThreadEndsABlockedCall() async throws {
        let server = try await onDedicatedThread { try RedisServer() }
        defer { server.stop() }
        let connection = try await onDedicatedThread { try RedisBlockingConnection(RedisURL(server.url)) }
        let outcome = Task { await onDedicatedThread { Result { try connection.send(["BLPOP", "nothing", "30"]) } } }
        try await Wait.until(timeout: 10, "the BLPOP to block") {
            (try? await RedisClient(server.url).send(["CLIENT", "LIST"]).string?.contains("cmd=blpop")) == true
        }
        connection.close()
        guard case .failure = await outcome.value else { throw Failure("expected a failure") }
        #expect(!connection.isAlive)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A refused login closes its socket once: a second close would close whatever the number was given
    /// to in between (it closed a node's WebSocket during its handshake). Another thread keeps taking
    /// fresh descriptors (pipes) meanwhile and checks that each one stays its own until it closes it.
    @Test func aRefusedLoginClosesItsSocketOnlyOnce() async throws {
        let server = try await onDedicatedThread { try RedisServer(password: "s3cret") }
        defer { server.stop() }
        let wrong = try RedisURL(server.url.replacingOccurrences(of: "s3cret", with: "wrong"))
        let done = Atomic<Bool>(false)
        let watcher = Task {
            await onDedicatedThread { () -> Int in
                var stolen = 0
                var byte: UInt8 = 7
                while !done.load(ordering: .acquiring) {
                    var ends: [Int32] = [0, 0]
                    guard pipe(&ends) == 0 else { continue }
                    // Non-blocking: an end that was stolen fails at once instead of blocking the loop.
                    for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
                    for _ in 0..<20 where write(ends[1], &byte, 1) != 1 || read(ends[0], &byte, 1) != 1 { stolen += 1 }
                    close(ends[0])
                    close(ends[1])
                }
                return stolen
            }
        }
        await onDedicatedThread {
            for _ in 0..<400 {
                do {
                    _ = try RedisBlockingConnection(wrong, timeout: 2, replyTimeout: 2)
                } catch {}
            }
        }
        done.store(true, ordering: .releasing)
        #expect(await watcher.value == 0, "no descriptor of another thread was closed")
    }
}
