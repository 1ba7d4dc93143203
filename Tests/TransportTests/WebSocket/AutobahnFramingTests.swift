import TestSupport
import Testing
@testable import Transport

/// Autobahn|Testsuite sections 1-4 (framing, pings and pongs, reserved bits, opcodes), as hand-built
/// frames over a real socket against our server, asserting its exact reaction.
@Suite struct AutobahnFramingTests {
    // 1.1.1-1.1.7 and 1.2.1-1.2.7: text and binary messages around the length-encoding boundaries.
    @Test(arguments: [0, 125, 126, 127, 128, 65535, 65536])
    func case1_echoesTextAndBinaryOfEveryLengthEncoding(length: Int) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        let text = String(repeating: "*", count: length)
        client.send(text: text)
        #expect(await client.read() == WireFrame(fin: true, opcode: 1, payload: Array(text.utf8)))
        let binary = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7) }
        client.send(2, binary)
        #expect(await client.read() == WireFrame(fin: true, opcode: 2, payload: binary))
    }

    // 1.1.8 / 1.2.8: a 65535-byte message sent in small chops.
    @Test func case1_1_8_choppedFrameIsReassembled() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        // Bytes that differ from chop to chop (997 is prime to 251), so a chop lost, repeated or
        // reordered changes the message.
        let payload = (0..<65535).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let frame = RawWebSocket.frame(2, payload)
        var offset = 0
        while offset < frame.count {
            client.socket.send(Array(frame[offset..<min(frame.count, offset + 997)]))
            offset += 997
        }
        #expect(await client.read() == WireFrame(fin: true, opcode: 2, payload: payload))
    }

    // 2.1-2.4: pings get pongs with the same payload.
    @Test(arguments: [[], Array("Hello, world!".utf8), [0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF], [UInt8](repeating: 0xFE, count: 125)])
    func case2_1to2_4_pingsArePongedWithTheirPayload(payload: [UInt8]) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(9, payload)
        #expect(await client.read() == WireFrame(fin: true, opcode: 10, payload: payload))
    }

    // 2.5: a ping with 126 bytes of payload is a protocol error.
    @Test func case2_5_oversizedPingIsAProtocolError() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(9, [UInt8](repeating: 0xFE, count: 126))
        #expect(await client.closeCode() == 1002)
    }

    // 2.6: a 125-byte ping sent byte by byte.
    @Test func case2_6_choppedPing() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        let payload = [UInt8](repeating: 0xFE, count: 125)
        client.trickle(RawWebSocket.frame(9, payload))
        #expect(await client.read() == WireFrame(fin: true, opcode: 10, payload: payload))
    }

    // 2.7-2.9: unsolicited pongs are ignored; a ping after them is still answered.
    @Test func case2_7to2_9_unsolicitedPongsAreIgnored() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(10)
        client.send(10, Array("unsolicited".utf8))
        client.send(9, Array("ping".utf8))
        #expect(await client.read() == WireFrame(fin: true, opcode: 10, payload: Array("ping".utf8)))
    }

    // 2.10-2.11: ten pings in a row (and chopped) get ten pongs in order.
    @Test func case2_10and2_11_tenPingsTenPongs() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        for i in 0..<10 { client.send(9, Array("payload-\(i)".utf8)) }
        for i in 0..<10 { client.trickle(RawWebSocket.frame(9, Array("chopped-\(i)".utf8))) }
        for i in 0..<10 { #expect(await client.read()?.text == "payload-\(i)") }
        for i in 0..<10 { #expect(await client.read()?.text == "chopped-\(i)") }
    }

    // 3.1-3.7: any reserved bit without a negotiated extension fails the connection with 1002,
    // after the valid messages sent before it were echoed (3.2, 3.3).
    @Test(arguments: [(1, UInt8(1)), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7)] as [(Int, UInt8)])
    func case3_reservedBitsAreAProtocolError(case number: Int, rsv: UInt8) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(text: "before")
        let opcode: UInt8 = [1, 1, 1, 2, 9, 10, 8][number - 1]
        client.send(opcode, opcode == 8 ? [0x03, 0xE8] : Array("x".utf8), rsv: rsv)
        client.send(9, Array("after".utf8))
        #expect(await client.read()?.text == "before")
        #expect(await client.closeCode(skipping: []) == 1002, "case 3.\(number)")
    }

    // 4.1.1-4.1.5 and 4.2.1-4.2.5: reserved data and control opcodes fail with 1002.
    @Test(arguments: [3, 4, 5, 6, 7, 11, 12, 13, 14, 15] as [UInt8])
    func case4_reservedOpcodesAreAProtocolError(opcode: UInt8) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(text: "first")
        client.send(opcode, Array("reserved".utf8))
        client.send(9)
        #expect(await client.read()?.text == "first")
        #expect(await client.closeCode(skipping: []) == 1002)
    }

    // Unmasked client frames break RFC 6455 section 5.1.
    @Test func unmaskedClientFrameIsAProtocolError() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(1, Array("plain".utf8), mask: false)
        #expect(await client.closeCode() == 1002)
    }

    // A 64-bit length with the top bit set is invalid.
    @Test func lengthWithTheTopBitSetIsAProtocolError() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.socket.send([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4])
        #expect(await client.closeCode() == 1002)
    }
}
