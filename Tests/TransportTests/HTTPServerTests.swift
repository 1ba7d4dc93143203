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

    @Test func limitsConnectionsPerIP() async throws {
        let server = try server { $0.maxConnectionsPerIP = 2 }
        defer { server.stopAccepting() }
        let first = try BlockingSocket(port: server.port), second = try BlockingSocket(port: server.port)
        try await Wait.until(timeout: 5, "two connections admitted") { server.connectionCount == 2 }
        let third = try BlockingSocket(port: server.port)
        #expect(String(decoding: await third.readToEnd(), as: UTF8.self).hasPrefix("HTTP/1.1 503"))
        _ = (first, second)
    }

    @Test func theParserSurvivesRandomInput() {
        var generator = SplitMix(seed: 42)
        let alphabet = Array("GET POST /a HTTP/1.1\r\n:Content-Length: 5\r\nTransfer-Encoding: chunked\r\n0123456789abcdefxyz \t".utf8)
        for _ in 0..<3000 {
            var parser = HTTPParser(maxHeadBytes: 512)
            let length = Int(generator.next() % 600)
            let bytes = (0..<length).map { _ in
                generator.next() % 4 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            var offset = 0
            while offset < bytes.count {
                let step = min(bytes.count - offset, 1 + Int(generator.next() % 64))
                let events = bytes[offset..<offset + step].withUnsafeBytes { parser.feed($0) { _ in 100 } }
                if events.contains(where: { if case .failure = $0 { true } else { false } }) { break }
                offset += step
            }
        }
    }
}

/// A small deterministic generator for fuzz tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
