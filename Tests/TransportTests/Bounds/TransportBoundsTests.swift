#if canImport(Glibc)
import Glibc
#endif
import Actors
import Synchronization
import TestSupport
import Testing
@testable import Transport
import Threads

/// Issue 14, transport half: what one abusive connection can cost the others.
@Suite struct TransportBoundsTests {
    static let group = EventLoopGroup(loops: 1)

    @Test func pipelinedRequestsFromAPeerThatDoesNotReadAreNotReadAheadWithoutBound() async throws {
        var router = HTTPRouter()
        let handled = Atomic<Int>(0)
        let body = String(repeating: "m", count: 4096)
        router.add("GET", "/metrics") { _ in
            handled.add(1, ordering: .relaxed)
            return .text(200, body)
        }
        router.add("GET", "/health") { _ in .text(200, "ok") }
        let server = try HTTPServer(configuration: HTTPServerConfiguration(), router: router, group: Self.group)
        defer { server.stopAccepting() }
        let attacker = try BlockingSocket(port: server.port)
        let total = 32 << 20
        let sent = await attacker.flood(unit: Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8), total: total, stall: 2)
        // The server stops reading: what got in is what the kernel buffers hold, not the whole flood.
        #expect(sent < 16 << 20, "the server read \(sent) bytes of a pipelined flood whose answers nobody reads")
        let started = SystemTime.monotonic()
        let other = try BlockingSocket(port: server.port)
        other.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let answer = String(decoding: await other.readToEnd(), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(SystemTime.monotonic() - started < 5)
        #expect(handled.load(ordering: .relaxed) < 20_000)
        attacker.hangUp()
    }

    @Test func aPeerThatTakesNoneOfItsAnswersIsCutOffAfterTheIdleTimeout() async throws {
        var router = HTTPRouter()
        let body = String(repeating: "m", count: 4096)
        router.add("GET", "/metrics") { _ in .text(200, body) }
        var configuration = HTTPServerConfiguration()
        configuration.idleTimeout = 0.5
        let server = try HTTPServer(configuration: configuration, router: router, group: Self.group)
        defer { server.stopAccepting() }
        let attacker = try BlockingSocket(port: server.port)
        _ = await attacker.flood(unit: Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8), total: 32 << 20, stall: 1)
        try await Wait.until(timeout: 20, "the stalled connection to be closed") { server.connectionCount == 0 }
    }

    @Test func pipelinedRequestsAreAllAnsweredInOrderWhenThePeerReads() async throws {
        var router = HTTPRouter()
        router.add("GET", "/n/{n}") { request in .text(200, "n=\(request.parameters["n"]!)") }
        var configuration = HTTPServerConfiguration()
        configuration.maxPipelinedRequests = 2
        let server = try HTTPServer(configuration: configuration, router: router, group: Self.group)
        defer { server.stopAccepting() }
        let client = try BlockingSocket(port: server.port)
        let count = 500
        client.send((0..<count).map { "GET /n/\($0) HTTP/1.1\r\n\r\n" }.joined() + "GET /n/last HTTP/1.1\r\nConnection: close\r\n\r\n")
        let all = String(decoding: await client.readToEnd(), as: UTF8.self)
        let bodies = all.components(separatedBy: "\r\n\r\n").dropFirst().map { $0.prefix { $0 != "H" } }
        #expect(bodies == (0..<count).map { "n=\($0)\n"[...] } + ["n=last\n"])
    }

    /// Reads slowly (spins a little per read) and answers "ping" with "pong".
    final class SlowReader: ConnectionHandler {
        func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
            let until = SystemTime.monotonic() + 0.003
            while SystemTime.monotonic() < until {}
            if bytes.count >= 4, bytes.starts(with: Array("ping".utf8)) { connection.write(Array("pong".utf8)) }
        }

        func closed(_ connection: TCPConnection) {}
    }

    @Test func aConnectionThatAlwaysHasInputDoesNotStarveTheOthersOnItsLoop() async throws {
        // The flooder's connection is held unread until the kernel has megabytes queued for it, so
        // that from then on every read of it is a full one (the flood keeps it so).
        let held = Mutex<TCPConnection?>(nil)
        let listener = try TCPListener(host: "127.0.0.1", port: 0, group: Self.group) { connection in
            let first = held.withLock { current -> Bool in
                guard current == nil else { return false }
                current = connection
                return true
            }
            if first {
                var size: Int32 = 4 << 20
                setsockopt(connection.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            } else {
                connection.start(handler: SlowReader())
            }
        }
        defer { listener.close() }
        let flooder = try BlockingSocket(port: listener.port)
        var size: Int32 = 4 << 20
        setsockopt(flooder.fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        let stop = Atomic<Bool>(false)
        let sent = Atomic<Int>(0)
        let flooding = Task {
            await onDedicatedThread {
                let chunk = [UInt8](repeating: 0x78, count: 64 << 10)
                while !stop.load(ordering: .relaxed), sent.load(ordering: .relaxed) < 4 << 30 {
                    let count = chunk.withUnsafeBytes { Glibc.send(flooder.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if count <= 0 { break }
                    sent.add(count, ordering: .relaxed)
                }
            }
        }
        defer { stop.store(true, ordering: .relaxed) }
        // The kernel queues bytes for a connection before it is accepted: wait for the accept too.
        try await Wait.until(timeout: 20, "the flooder's connection accepted and megabytes queued for it") {
            sent.load(ordering: .relaxed) >= 6 << 20 && held.withLock { $0 != nil }
        }
        let connection = try #require(held.withLock { $0 })
        connection.loop.execute { connection.start(handler: SlowReader()) }
        let other = try BlockingSocket(port: listener.port, timeout: 10)
        for _ in 0..<5 {
            let started = SystemTime.monotonic()
            other.send("ping")
            #expect(await other.read(4) == Array("pong".utf8))
            #expect(SystemTime.monotonic() - started < 3, "a ping waited behind a flooding connection")
        }
        stop.store(true, ordering: .relaxed)
        flooder.hangUp()
        await flooding.value
    }

    @Test(arguments: [
        ("10.1.2.3", "10.1.2.3"),
        ("::ffff:10.1.2.3", "10.1.2.3"),
        ("::1", "0:0:0:0::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:eeee:dddd:5", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
    ])
    func perIPLimitsCountIPv6ByItsSlash64(host: String, key: String) {
        #expect(HTTPServer.limitKey(host) == key)
    }

    @Test func perIPLimitsApplyToIPv6Peers() async throws {
        guard let probe = try? TCPListener(host: "::1", port: 0, group: Self.group, onAccept: { $0.closeNow() }) else { return }
        probe.close()
        var router = HTTPRouter()
        router.add("GET", "/health") { _ in .text(200, "ok") }
        var configuration = HTTPServerConfiguration(host: "::1", port: 0)
        configuration.maxConnectionsPerIP = 1
        let refusals = Mutex<[String]>([])
        configuration.onConnectionRefused = { reason in refusals.withLock { $0.append(reason) } }
        let server = try HTTPServer(configuration: configuration, router: router, group: Self.group)
        defer { server.stopAccepting() }
        let first = try BlockingSocket(host: "::1", port: server.port)
        try await Wait.until(timeout: 5, "one connection admitted") { server.connectionCount == 1 }
        let second = try BlockingSocket(host: "::1", port: server.port)
        #expect(String(decoding: await second.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 503"))
        #expect(refusals.withLock { $0 } == ["per_ip"])
        _ = first
    }
}
