import Foundation
import TestSupport
import Testing
@testable import Transport

/// `wss://` end to end: our client and server, and Python's `websockets` on either side.
@Suite struct SecureWebSocketTests {
    @Test func ourClientTalksToOurServerOverTLS() async throws {
        let certificate = try await TLSFixtures.certificate()
        let server = try TLSFixtures.echoServer(certificate)
        defer { server.stop() }
        let (connection, events) = try await WebSocketClient.connect(to: "wss://localhost:\(server.port)/echo",
                                                                     tls: try TLSFixtures.clientContext(certificate))
        #expect(connection.tcp.isSecure)
        var iterator = events.makeAsyncIterator()
        let big = String(repeating: "0123456789abcdef", count: (1 << 20) / 16)
        for text in ["hello", "κόσμε 😃", "", big] {
            connection.send(text: text)
            #expect(await iterator.next() == .text(text))
        }
        let blob = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        connection.send(binary: blob)
        #expect(await iterator.next() == .binary(blob))
        connection.close(code: 4000, reason: "done")
        #expect(await iterator.next() == .closed(code: 4000, reason: "done"))
        #expect(await iterator.next() == nil)
        try await Wait.until(timeout: 10, "the server saw the close") { server.events.closed != nil }
        #expect(server.events.closed?.code == 4000)
    }

    @Test func twentyConcurrentClients() async throws {
        let certificate = try await TLSFixtures.certificate()
        let server = try TLSFixtures.echoServer(certificate)
        defer { server.stop() }
        let tls = try TLSFixtures.clientContext(certificate)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let (connection, events) = try await WebSocketClient.connect(to: "wss://127.0.0.1:\(server.port)/echo", tls: tls)
                    var iterator = events.makeAsyncIterator()
                    var echoed = true
                    for round in 0..<5 {
                        let text = "client \(index) round \(round) " + String(repeating: "x", count: index * 1000)
                        connection.send(text: text)
                        let echo = await iterator.next()
                        echoed = echoed && echo == .text(text)
                    }
                    connection.close()
                    let last = await iterator.next()
                    return echoed && last == .closed(code: 1000, reason: "")
                }
            }
            for try await echoed in group { #expect(echoed) }
        }
    }

    @Test func aPlainClientOnTheTLSPortAndATLSClientOnAPlainPortGetClearErrors() async throws {
        let certificate = try await TLSFixtures.certificate()
        let secure = try TLSFixtures.echoServer(certificate)
        defer { secure.stop() }
        await #expect(throws: WebSocketClientError.handshakeRefused(status: 400, body: "this port speaks TLS: use https:// or wss://\n")) {
            _ = try await WebSocketClient.connect(to: "ws://127.0.0.1:\(secure.port)/echo")
        }
        // a plain server that answers whatever arrives with a plain-text 400
        let plain = try TCPListener(host: "127.0.0.1", port: 0) { connection in connection.start(handler: PlainRefusal()) }
        defer { plain.close() }
        await #expect(throws: WebSocketClientError.tlsFailed(.handshakeFailed("wrong version number"))) {
            _ = try await WebSocketClient.connect(to: "wss://127.0.0.1:\(plain.port)/echo", tls: try TLSFixtures.clientContext(certificate))
        }
    }

    @Test(.enabled("needs python3 with websockets") { await Python.shouldRun(needing: "websockets") })
    func pythonWebsocketsClientAgainstOurServer() async throws {
        let certificate = try await TLSFixtures.certificate()
        let server = try TLSFixtures.echoServer(certificate)
        defer { server.stop() }
        let url = "wss://127.0.0.1:\(server.port)/echo"
        for (flags, version) in [([String](), "TLSv1.3"), (["--tls12"], "TLSv1.2")] {
            let report = try await onDedicatedThread {
                try Python.runJSON(script: "ws_peer.py", arguments: ["client", url, "--ca", certificate.caPath] + flags)
            }
            #expect(report["tls_version"].string == version)
            #expect(report["texts"].raw as? [Bool] == [true, true, true, true])
            #expect(report["binary"].bool == true)
            #expect(report["fragmented"].bool == true)
            #expect(report["pong"].bool == true)
            #expect(report["close_code"].raw as? Int == 4000)
        }
        try await Wait.until(timeout: 10, "the server saw the closes") { server.events.all.filter { $0 == .closed(code: 4000, reason: "done") }.count == 2 }
    }

    @Test(.enabled("needs python3 with websockets") { await Python.shouldRun(needing: "websockets") })
    func ourClientAgainstPythonWebsocketsServer() async throws {
        let certificate = try await TLSFixtures.certificate()
        let (child, port) = try await PythonEchoPeer.start(certificate: certificate)
        defer { _ = child.kill() }
        let (connection, events) = try await WebSocketClient.connect(to: "wss://localhost:\(port)/",
                                                                     tls: try TLSFixtures.clientContext(certificate))
        await PythonEchoPeer.exchange(connection, events, largestText: 1 << 20, server: child)
    }
}

/// Answers the first bytes with a plain-text 400 and closes, as a server without TLS would.
private final class PlainRefusal: ConnectionHandler {
    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
        connection.write(Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
        connection.close()
    }

    func closed(_ connection: TCPConnection) {}
}
