import Foundation
import TestSupport
import Testing
@testable import Transport

/// Our client against our server, against Python's `websockets` server, and `websockets` as a client
/// against our server; handshake failures and keep-alive.
@Suite struct WebSocketClientTests {
    @Test func ourClientTalksToOurServer() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let (connection, events) = try await WebSocketClient.connect(to: "ws://127.0.0.1:\(server.port)/echo")
        var iterator = events.makeAsyncIterator()
        for text in ["hello", "κόσμε 😃", "", String(repeating: "y", count: 200_000)] {
            connection.send(text: text)
            #expect(await iterator.next() == .text(text))
        }
        connection.send(binary: [0, 1, 2, 255])
        #expect(await iterator.next() == .binary([0, 1, 2, 255]))
        connection.close(code: 4000, reason: "done")
        #expect(await iterator.next() == .closed(code: 4000, reason: "done"))
        #expect(await iterator.next() == nil)
        try await Wait.until(timeout: 10, "the server saw the close") { server.events.closed != nil }
        #expect(server.events.closed?.code == 4000)
    }

    @Test func ourClientOverIPv6AndManyConcurrentConnections() async throws {
        let server = try WebSocketEchoServer(host: "::")
        defer { server.stop() }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let host = index % 2 == 0 ? "127.0.0.1" : "[::1]"
                    let (connection, events) = try await WebSocketClient.connect(to: "ws://\(host):\(server.port)/echo")
                    var iterator = events.makeAsyncIterator()
                    connection.send(text: "client \(index)")
                    let echoed = await iterator.next() == .text("client \(index)")
                    connection.close()
                    return echoed
                }
            }
            for try await echoed in group { #expect(echoed) }
        }
    }

    @Test func refusedHandshakesAreTypedErrors() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        await #expect(throws: WebSocketClientError.handshakeRefused(status: 404, body: "no route for /nowhere\n")) {
            _ = try await WebSocketClient.connect(to: "ws://127.0.0.1:\(server.port)/nowhere")
        }
        await #expect(throws: WebSocketClientError.invalidURL("http://x")) { _ = try await WebSocketClient.connect(to: "http://x") }
        let closedPort = try FreePort.next()
        await #expect { _ = try await WebSocketClient.connect(to: "ws://127.0.0.1:\(closedPort)/") } throws: { error in
            guard case WebSocketClientError.connectFailed(let detail) = error else { return false }
            return detail.contains("refused")
        }
    }

    @Test func serverChecksTheHandshake() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        func status(_ request: String) async throws -> String {
            let socket = try BlockingSocket(port: server.port)
            socket.send(request)
            return String((await socket.read(until: "\r\n")).prefix(12))
        }
        let good = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        #expect(try await status("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n") == "HTTP/1.1 426")
        #expect(try await status("GET /echo HTTP/1.1\r\n\(good)Sec-WebSocket-Version: 8\r\n\r\n") == "HTTP/1.1 426")
        #expect(try await status("GET /echo HTTP/1.1\r\n\(good)\r\n") == "HTTP/1.1 426")
        #expect(try await status("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n") == "HTTP/1.1 400")
        #expect(try await status("GET /echo HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n") == "HTTP/1.1 400")
        #expect(try await status("POST /echo HTTP/1.1\r\n\(good)Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n") == "HTTP/1.1 405")
        // plain HTTP routes keep working beside the WebSocket ones
        #expect(try await status("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n") == "HTTP/1.1 200")
    }

    @Test func framesInTheSamePacketAsTheUpgradeAreNotLost() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let socket = try BlockingSocket(port: server.port)
        socket.send(Array("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8)
                    + RawWebSocket.frame(1, Array("early".utf8)))
        _ = await socket.read(until: "\r\n\r\n")
        #expect(await socket.read(7) == [0x81, 5] + Array("early".utf8))
    }

    @Test func keepAlivePingsAnIdlePeerAndDropsOneThatNeverAnswers() async throws {
        let server = try WebSocketEchoServer { $0.pingInterval = 0.2; $0.pongTimeout = 0.3 }
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        let ping = await client.read()
        #expect(ping?.opcode == 9)
        try await Wait.until(timeout: 10, "the silent peer is dropped") { server.events.closed != nil }
        #expect(server.events.closed?.code == 1006)
        // The connection ends with no close frame (1006): what follows the first ping is whole pings only.
        var rest = await client.socket.readToEnd()[...]
        while rest.count >= 2 {
            #expect(rest[rest.startIndex] == 0x89, "a frame other than a ping: \(Array(rest))")
            let length = Int(rest[rest.startIndex + 1] & 0x7F)
            rest = rest.dropFirst(min(rest.count, 2 + length))
        }
        #expect(rest.isEmpty, "a partial frame: \(Array(rest))")
    }

    @Test func keepAliveIsSatisfiedByPongs() async throws {
        // A pong timeout with room for a loaded test run (the event loops are shared by every test).
        let server = try WebSocketEchoServer { $0.pingInterval = 0.1; $0.pongTimeout = 2 }
        defer { server.stop() }
        // Our own client, silent, answers the server's pings by itself. The server pings again a pong
        // timeout after each ping, so two answered pings span a whole timeout with nothing but pongs; the
        // connection is still open and still echoes.
        let (connection, events) = try await WebSocketClient.connect(to: "ws://127.0.0.1:\(server.port)/echo")
        var iterator = events.makeAsyncIterator()
        try await Wait.until(timeout: 30, "two pings answered") { server.events.pongs >= 2 }
        #expect(server.events.closed == nil)
        connection.send(text: "tick")
        #expect(await iterator.next() == .text("tick"))
        connection.close()
    }

    @Test func pythonWebsocketsClientAgainstOurServer() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let url = "ws://127.0.0.1:\(server.port)/echo"
        let report = try await onDedicatedThread { try Python.runJSON(script: "ws_peer.py", arguments: ["client", url]) }
        #expect(report["texts"].raw as? [Bool] == [true, true, true, true])
        #expect(report["binary"].bool == true)
        #expect(report["fragmented"].bool == true)
        #expect(report["pong"].bool == true)
        #expect(report["close_code"].raw as? Int == 4000)
        try await Wait.until(timeout: 10, "the server saw the close") { server.events.closed != nil }
        #expect(server.events.closed?.code == 4000)
    }

    @Test func ourClientAgainstPythonWebsocketsServer() async throws {
        let (child, port) = try await PythonEchoPeer.start()
        defer { _ = child.kill() }
        let (connection, events) = try await WebSocketClient.connect(to: "ws://127.0.0.1:\(port)/")
        await PythonEchoPeer.exchange(connection, events, largestText: 300_000, server: child)
    }
}
