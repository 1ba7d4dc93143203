import TestSupport
import Testing
@testable import Transport

/// The HTTP server over TLS: requests round trip, and bad peers (plain HTTP, garbage, a stalled
/// handshake) lose only their own connection.
@Suite struct HTTPSTests {
    func server(_ certificate: TestCertificate, failures: TLSFailureLog = TLSFailureLog(),
                _ configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> HTTPServer {
        var router = HTTPRouter()
        router.add("GET", "/hello/{name}") { request in .text(200, "hello \(request.parameters["name"]!)") }
        router.add("POST", "/echo") { request in HTTPResponse(status: 200, body: request.body) }
        var configuration = HTTPServerConfiguration()
        configuration.tls = try TLSFixtures.serverContext(certificate)
        configuration.onTLSFailure = { _, error in failures.append(error) }
        configure(&configuration)
        return try HTTPServer(configuration: configuration, router: router, group: HTTPServerTests.group)
    }

    /// One HTTPS request on a new connection; returns the whole response.
    func request(_ server: HTTPServer, _ certificate: TestCertificate, path: String = "/hello/tls") async throws -> String {
        let client = try await CollectingClient.connect(port: server.port, tls: try TLSFixtures.clientContext(certificate))
        client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        try await client.waitUntilClosed()
        return client.text
    }

    @Test func requestsRoundTripWithKeepAliveAndCloseNotify() async throws {
        let certificate = try await TLSFixtures.certificate()
        let server = try server(certificate)
        defer { server.stopAccepting() }
        let client = try await CollectingClient.connect(port: server.port, tls: try TLSFixtures.clientContext(certificate))
        #expect(await client.tlsState().version == "TLSv1.3")
        let body = String(repeating: "b", count: 100_000)
        client.send("GET /hello/a HTTP/1.1\r\nHost: localhost\r\n\r\nPOST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        try await client.waitForText(containing: "hello a\n")
        client.send("GET /hello/b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        try await client.waitUntilClosed()
        let text = client.text
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count == 4)
        #expect(text.contains(body))
        #expect(text.hasSuffix("hello b\n"))
        #expect(client.sawCloseNotify, "the server ends TLS with close_notify")
    }

    @Test func ipv6AndHostNamesAreVerified() async throws {
        let certificate = try await TLSFixtures.certificate()
        let server = try server(certificate) { $0.host = "::" }
        defer { server.stopAccepting() }
        for host in ["127.0.0.1", "::1", "localhost"] {
            let client = try await CollectingClient.connect(port: server.port, host: host, tls: try TLSFixtures.clientContext(certificate))
            client.send("GET /hello/\(host.count) HTTP/1.1\r\nConnection: close\r\n\r\n")
            try await client.waitUntilClosed()
            #expect(client.text.hasSuffix("hello \(host.count)\n"), "over \(host)")
        }
    }

    @Test func plainHTTPOnTheTLSPortGetsAClear400AndOnlyThatConnectionCloses() async throws {
        let certificate = try await TLSFixtures.certificate()
        let failures = TLSFailureLog()
        let server = try server(certificate, failures: failures)
        defer { server.stopAccepting() }
        let bystander = try await CollectingClient.connect(port: server.port, tls: try TLSFixtures.clientContext(certificate))
        let plain = try BlockingSocket(port: server.port)
        plain.send("GET /hello/plain HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let (bytes, closed) = await plain.readAll()
        let answer = String(decoding: bytes, as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(answer.hasSuffix("this port speaks TLS: use https:// or wss://\n"))
        #expect(closed)
        try await Wait.until(timeout: 10, "the server to report the plain HTTP") { failures.all == [.plainHTTP] }
        // the connection opened before, and new ones, are served
        bystander.send("GET /hello/still HTTP/1.1\r\nConnection: close\r\n\r\n")
        try await bystander.waitUntilClosed()
        #expect(bystander.text.hasSuffix("hello still\n"))
        #expect(try await request(server, certificate).hasSuffix("hello tls\n"))
    }

    @Test func garbageAndBrokenHandshakesCloseOnlyTheirConnection() async throws {
        let certificate = try await TLSFixtures.certificate()
        let failures = TLSFailureLog()
        let server = try server(certificate, failures: failures)
        defer { server.stopAccepting() }
        let bystander = try await CollectingClient.connect(port: server.port, tls: try TLSFixtures.clientContext(certificate))
        // binary noise, and a handshake record that is not a ClientHello
        let garbage: [[UInt8]] = [[0, 1, 2, 3, 255, 254, 13, 10] + Array(repeating: 7, count: 3000),
                                  [22, 3, 1, 0, 8, 2, 0, 0, 4, 1, 2, 3, 4]]
        for bytes in garbage {
            let socket = try BlockingSocket(port: server.port)
            socket.send(bytes)
            let (answer, closed) = await socket.readAll()
            #expect(closed, "the server closes the connection")
            #expect(answer.isEmpty || answer.first == 21, "nothing but a TLS alert comes back")
        }
        try await Wait.until(timeout: 10, "the server to report both failures") { failures.all.count == 2 }
        for failure in failures.all {
            guard case .handshakeFailed(let reason) = failure else {
                Issue.record("unexpected failure \(failure)")
                continue
            }
            #expect(!reason.isEmpty)
        }
        bystander.send("GET /hello/still HTTP/1.1\r\nConnection: close\r\n\r\n")
        try await bystander.waitUntilClosed()
        #expect(bystander.text.hasSuffix("hello still\n"))
    }

    @Test func aPeerThatStallsMidHandshakeIsCutByTheHeadTimeout() async throws {
        let certificate = try await TLSFixtures.certificate()
        let server = try server(certificate) { $0.headTimeout = 0.3 }
        defer { server.stopAccepting() }
        let socket = try BlockingSocket(port: server.port)
        // the start of a ClientHello record, then nothing
        socket.send([22, 3, 1, 0, 200, 1, 0, 0, 196, 3, 3])
        let (answer, closed) = await socket.readAll()
        #expect(closed, "cut long before the socket's own 30 s read timeout")
        #expect(answer.isEmpty)
        try await Wait.until(timeout: 10, "the connection to be released") { server.connectionCount == 0 }
    }

    @Test func aRefusedConnectionHearsItsAnswerOverTLS() async throws {
        let certificate = try await TLSFixtures.certificate()
        let server = try server(certificate) { $0.maxConnections = 1 }
        defer { server.stopAccepting() }
        let first = try await CollectingClient.connect(port: server.port, tls: try TLSFixtures.clientContext(certificate))
        try await Wait.until(timeout: 10, "the first connection to count") { server.connectionCount == 1 }
        // the 503 is written before the handshake has happened: it waits for it, then TLS closes cleanly
        let refused = try await CollectingClient.connect(port: server.port, tls: try TLSFixtures.clientContext(certificate))
        try await refused.waitUntilClosed()
        #expect(refused.text.hasPrefix("HTTP/1.1 503 "))
        #expect(refused.sawCloseNotify)
        first.connection.close()
    }
}
