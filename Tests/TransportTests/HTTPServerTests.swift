#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TestSupport
import Testing
@testable import Transport

@Suite struct HTTPServerTests {
    static let group = EventLoopGroup(loops: 2)

    func server(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> HTTPServer {
        var router = HTTPRouter()
        router.add("GET", "/hello/{name}") { request in .text(200, "hello \(request.parameters["name"]!)") }
        router.add("POST", "/echo", bodyLimit: 64) { request in HTTPResponse(status: 200, body: request.body) }
        router.add("GET", "/webhooks/{provider}/{circle}") { request in
            .text(200, "\(request.parameters["provider"]!) \(request.parameters["circle"]!) \(request.query ?? "")")
        }
        var configuration = HTTPServerConfiguration()
        configure(&configuration)
        return try HTTPServer(configuration: configuration, router: router, group: Self.group)
    }

    func exchange(_ server: HTTPServer, _ raw: String) async throws -> String {
        let client = try BlockingSocket(port: server.port)
        client.send(raw)
        return String(decoding: await client.readToEnd(), as: UTF8.self)
    }

    @Test func routesWithPathParametersAnd404And405() async throws {
        let server = try server()
        defer { server.stopAccepting() }
        let ok = try await exchange(server, "GET /hello/world HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(ok.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(ok.hasSuffix("hello world\n"))
        #expect(try await exchange(server, "GET /webhooks/stripe/02ab?x=1 HTTP/1.1\r\nConnection: close\r\n\r\n").hasSuffix("stripe 02ab x=1\n"))
        #expect(try await exchange(server, "GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n").hasPrefix("HTTP/1.1 404 Not Found"))
        let wrongMethod = try await exchange(server, "DELETE /echo HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(wrongMethod.hasPrefix("HTTP/1.1 405 Method Not Allowed"))
        #expect(wrongMethod.contains("Allow: POST"))
    }

    @Test func everyAnswerIsReportedForTheAccessLog() async throws {
        let seen = Mutex<[String]>([])
        let server = try server { $0.onResponse = { request, status, bytes in seen.withLock { $0.append("\(request.method) \(request.path) \(status) \(bytes)") } } }
        defer { server.stopAccepting() }
        _ = try await exchange(server, "GET /hello/world HTTP/1.1\r\nConnection: close\r\n\r\n")
        _ = try await exchange(server, "GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
        try await Wait.until(timeout: 10, "both answers reported") { seen.withLock { $0.count } == 2 }
        #expect(seen.withLock { $0 }.first == "GET /hello/world 200 12")
        #expect(seen.withLock { $0 }.last?.hasPrefix("GET /nope 404 ") == true)
    }

    @Test func keepsAliveAndAnswersPipelinedRequestsInOrder() async throws {
        let server = try server()
        defer { server.stopAccepting() }
        let client = try BlockingSocket(port: server.port)
        client.send("GET /hello/a HTTP/1.1\r\n\r\nGET /hello/b HTTP/1.1\r\n\r\nPOST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzGET /hello/c HTTP/1.1\r\nConnection: close\r\n\r\n")
        let all = String(decoding: await client.readToEnd(), as: UTF8.self)
        let bodies = all.components(separatedBy: "\r\n\r\n").dropFirst().map { $0.prefix(while: { $0 != "H" }) }
        #expect(bodies == ["hello a\n", "hello b\n", "xyz", "hello c\n"])
    }

    @Test func answersEveryRequestSentBeforeTheClientHalfCloses() async throws {
        let server = try server()
        defer { server.stopAccepting() }
        let client = try BlockingSocket(port: server.port)
        client.send("GET /hello/a HTTP/1.1\r\n\r\nGET /hello/b HTTP/1.1\r\n\r\n")
        client.shutdownWrite()
        let all = String(decoding: await client.readToEnd(), as: UTF8.self)
        #expect(all.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
        #expect(all.hasSuffix("hello b\n"))
    }

    @Test func readsChunkedBodies() async throws {
        let server = try server()
        defer { server.stopAccepting() }
        let reply = try await exchange(server, "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\n")
        #expect(reply.hasSuffix("Wikipedia"))
    }

    @Test(arguments: [
        ("POST /echo HTTP/1.1\r\nContent-Length: 65\r\n\r\n", "413"),
        ("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", "413"),
        ("GET /hello/a HTTP/1.1\r\nX: " + String(repeating: "a", count: 17_000) + "\r\n\r\n", "431"),
        ("GET /hello/a HTTP/1.1\r\nX: a\r\n  folded\r\n\r\n", "400"),
        ("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "400"),
        ("POST /echo HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "400"),
        ("POST /echo HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "400"),
        ("POST /echo HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "400"),
        ("GET /hello/a HTTP/2.0\r\n\r\n", "505"),
        ("BROKEN\r\n\r\n", "400"),
        ("GET /hello/a HTTP/1.1\r\nBad Header: x\r\n\r\n", "400"),
    ] as [(String, String)])
    func malformedRequestsGetAClearStatusAndTheConnectionCloses(raw: String, status: String) async throws {
        let server = try server()
        defer { server.stopAccepting() }
        let reply = try await exchange(server, raw)
        #expect(reply.hasPrefix("HTTP/1.1 \(status) "), "got \(reply.prefix(60))")
    }

    @Test func aClientThatTricklesTooSlowlyIsTimedOut() async throws {
        let server = try server { $0.headTimeout = 0.3 }
        defer { server.stopAccepting() }
        let client = try BlockingSocket(port: server.port)
        client.send("GET /hello/a HTTP/1.1\r\nHost:")
        let reply = String(decoding: await client.readToEnd(), as: UTF8.self)
        #expect(reply.hasPrefix("HTTP/1.1 408 Request Timeout"))
    }

    @Test func aClientThatTricklesItsHeadByteByByteIsTimedOutAllTheSame() async throws {
        let server = try server { $0.headTimeout = 0.5 }
        defer { server.stopAccepting() }
        let client = try BlockingSocket(port: server.port)
        client.send("GET /hello/a HTTP/1.1\r\nX-Slow: ")
        // One byte whenever 25 ms pass without an answer (at most 10 s): each byte is progress, but
        // the head's deadline runs from its first byte. Timed on the trickling thread, so that a
        // busy cooperative pool does not count.
        let (trickled, seconds) = await onDedicatedThread { () -> (Int, Double) in
            let started = Wait.now()
            var sent = 0
            var ready = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            while sent < 400, poll(&ready, 1, 25) == 0 {
                client.send("a")
                sent += 1
            }
            return (sent, Wait.now() - started)
        }
        let reply = String(decoding: await client.readToEnd(), as: UTF8.self)
        #expect(reply.hasPrefix("HTTP/1.1 408 Request Timeout"))
        #expect(trickled >= 5)
        #expect(seconds < 4)
    }

    @Test func aBodyThatStopsArrivingIsTimedOut() async throws {
        let server = try server { $0.headTimeout = 0.3 }
        defer { server.stopAccepting() }
        let client = try BlockingSocket(port: server.port)
        client.send("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
        #expect(String(decoding: await client.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 408 Request Timeout"))
    }

    @Test func aTLSClientHelloOnAPlainPortIsRefusedAtOnce() async throws {
        // A head timeout far longer than the test may take: the answer must not wait for it.
        let server = try server { $0.headTimeout = 60 }
        defer { server.stopAccepting() }
        let client = try BlockingSocket(port: server.port, timeout: 30)
        let started = Wait.now()
        client.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03] + [UInt8](repeating: 0x5A, count: 32))
        let reply = String(decoding: await client.readToEnd(), as: UTF8.self)
        #expect(reply.hasPrefix("HTTP/1.1 400 Bad Request"))
        #expect(reply.contains("not an HTTP request"))
        #expect(Wait.now() - started < 20)
    }

    @Test func tooManyHeaderFieldsAre431() async throws {
        let server = try server { $0.maxHeaderCount = 5 }
        defer { server.stopAccepting() }
        let fields = { (count: Int) in (0..<count).map { "X-\($0): v\r\n" }.joined() }
        // Connection: close is one of the fields counted.
        #expect(try await exchange(server, "GET /hello/a HTTP/1.1\r\n\(fields(5))Connection: close\r\n\r\n").hasPrefix("HTTP/1.1 431 "))
        #expect(try await exchange(server, "GET /hello/a HTTP/1.1\r\n\(fields(4))Connection: close\r\n\r\n").hasPrefix("HTTP/1.1 200 "))
    }

    @Test func limitsConnectionsPerIP() async throws {
        let server = try server { $0.maxConnectionsPerIP = 2 }
        defer { server.stopAccepting() }
        let first = try BlockingSocket(port: server.port), second = try BlockingSocket(port: server.port)
        try await Wait.until(timeout: 30, "two connections admitted") { server.connectionCount == 2 }
        let third = try BlockingSocket(port: server.port)
        #expect(String(decoding: await third.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 503"))
        _ = (first, second)
    }
}
