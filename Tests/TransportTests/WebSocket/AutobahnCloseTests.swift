import TestSupport
import Testing
@testable import Transport

/// Autobahn|Testsuite sections 7 (close handling) and 9.1-9.2 (limits and large messages).
@Suite struct AutobahnCloseTests {
    // 7.1.1: a message, then a normal close, answered with a close.
    @Test func case7_1_1_closeAfterAMessageIsEchoed() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(text: "Hello World!")
        client.send(8, [0x03, 0xE8])
        #expect(await client.read()?.text == "Hello World!")
        #expect(await client.closeCode(skipping: []) == 1000)
        #expect(server.events.closed?.code == 1000)
    }

    // 7.1.2-7.1.6: after the close, further frames (close, ping, text, continuation) get no answer.
    @Test func case7_1_2to7_1_6_framesAfterCloseAreIgnored() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(1, Array("fragment1".utf8), fin: false)
        client.send(8, [0x03, 0xE8])
        client.send(8, [0x03, 0xE8])
        client.send(9, Array("ping".utf8))
        client.send(0, Array("fragment2".utf8))
        #expect(await client.closeCode(skipping: []) == 1000)
    }

    // 7.3.1: an empty close is answered (we answer 1000); the application sees 1005 (no status).
    @Test func case7_3_1_emptyCloseIsAnswered() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(8)
        #expect(await client.closeCode(skipping: []) == 1000)
        try await Wait.until(timeout: 10, "the server reported the close") { server.events.closed != nil }
        #expect(server.events.closed?.code == 1005)
    }

    // 7.3.2: a close payload of one byte.
    @Test func case7_3_2_oneBytePayloadIsAProtocolError() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(8, [0x03])
        #expect(await client.closeCode(skipping: []) == 1002)
    }

    // 7.3.3-7.3.5: code only, code and reason, code and a 123-byte reason.
    @Test(arguments: ["", "Hello World!", String(repeating: "*", count: 123)])
    func case7_3_3to7_3_5_closeWithReasonIsEchoed(reason: String) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(8, [0x03, 0xE8] + Array(reason.utf8))
        #expect(await client.closeCode(skipping: []) == 1000)
        try await Wait.until(timeout: 10, "the server reported the close") { server.events.closed != nil }
        #expect(server.events.closed?.reason == reason)
    }

    // 7.3.6: a 124-byte reason makes the control frame 126 bytes long.
    @Test func case7_3_6_closeOver125BytesIsAProtocolError() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(8, [0x03, 0xE8] + [UInt8](repeating: 0x2A, count: 124))
        #expect(await client.closeCode(skipping: []) == 1002)
    }

    // 7.5.1: a reason that is not UTF-8.
    @Test func case7_5_1_invalidUTF8ReasonIs1007() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(8, [0x03, 0xE8, 0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64])
        #expect(await client.closeCode(skipping: []) == 1007)
    }

    // 7.7.1-7.7.13: valid codes are echoed.
    @Test(arguments: [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999] as [UInt16])
    func case7_7_validCodesAreEchoed(code: UInt16) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(8, [UInt8(code >> 8), UInt8(code & 0xFF)])
        #expect(await client.closeCode(skipping: []) == code)
    }

    // 7.9.1-7.9.9 and 7.13.1-7.13.2: codes that must not appear on the wire.
    @Test(arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] as [UInt16])
    func case7_9_invalidCodesAreAProtocolError(code: UInt16) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(8, [UInt8(code >> 8), UInt8(code & 0xFF)])
        #expect(await client.closeCode(skipping: []) == 1002)
    }

    // The server application closes: it sends its code and the connection ends when the client answers.
    @Test func serverInitiatedCloseCompletesTheHandshake() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port, path: "/closing")
        client.send(text: "4001")
        let frame = await client.read()
        #expect(frame?.closeCode == 4001)
        #expect(frame.map { Array($0.payload.dropFirst(2)) } == Array("bye".utf8))
        client.send(8, [0x0F, 0xA1])
        #expect(await client.socket.peerClosed())
        try await Wait.until(timeout: 10, "the server reported the close") { server.events.closed != nil }
        #expect(server.events.closed?.code == 4001)
    }

    // A peer that vanishes without a close frame is reported as 1006.
    @Test func droppedConnectionIsReportedAs1006() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.socket.shutdownWrite()
        try await Wait.until(timeout: 10, "the server reported the close") { server.events.closed != nil }
        #expect(server.events.closed?.code == 1006)
    }

    // 9.1.1-9.1.4 and 9.2.1-9.2.4: large text and binary messages (64 KiB to 4 MiB) round-trip.
    @Test(arguments: [64 << 10, 256 << 10, 1 << 20, 4 << 20])
    func case9_1and9_2_largeMessagesRoundTrip(size: Int) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        // A period of 89 (prime to any buffer size) so that a piece lost, repeated or reordered changes the text.
        let text = String(decoding: (0..<size).map { UInt8(0x21 + $0 % 89) }, as: UTF8.self)
        client.send(text: text)
        let echoed = await client.read()
        #expect(echoed?.opcode == 1)
        #expect(echoed?.payload == Array(text.utf8), "\(echoed?.payload.count ?? -1) bytes back of \(text.utf8.count)")
        let binary = [UInt8](repeating: 0xFE, count: size)
        client.send(2, binary)
        #expect(await client.read()?.payload == binary)
    }

    // Limits: a frame or a message over the configured size is refused with 1009.
    @Test func framesAndMessagesOverTheLimitAre1009() async throws {
        let server = try WebSocketEchoServer { $0.maxFrameSize = 1000; $0.maxMessageSize = 1500 }
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(2, [UInt8](repeating: 1, count: 1001))
        #expect(await client.closeCode(skipping: []) == 1009)
        let fragmented = try await RawWebSocket(port: server.port)
        fragmented.send(2, [UInt8](repeating: 1, count: 1000), fin: false)
        fragmented.send(0, [UInt8](repeating: 1, count: 600))
        #expect(await fragmented.closeCode(skipping: []) == 1009)
    }
}
