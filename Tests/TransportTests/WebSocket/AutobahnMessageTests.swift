import TestSupport
import Testing
@testable import Transport

/// Autobahn|Testsuite sections 5 (fragmentation) and 6 (UTF-8 handling).
@Suite struct AutobahnMessageTests {
    // 5.1, 5.2: fragmented control frames.
    @Test(arguments: [9, 10] as [UInt8])
    func case5_1and5_2_fragmentedControlFramesAreAProtocolError(opcode: UInt8) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(opcode, Array("fragment1".utf8), fin: false)
        client.send(0, Array("fragment2".utf8))
        #expect(await client.closeCode(skipping: []) == 1002)
    }

    // 5.3-5.5 (text in two fragments, sent whole, chopped) and 5.6-5.8 (with a ping in between).
    @Test(arguments: [false, true])
    func case5_3to5_8_fragmentsAreReassembledAndPingsAnsweredInBetween(chopped: Bool) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        let frames = [RawWebSocket.frame(1, Array("fragment1".utf8), fin: false), RawWebSocket.frame(9, Array("ping".utf8)),
                      RawWebSocket.frame(0, Array("fragment2".utf8))]
        for frame in frames { if chopped { client.trickle(frame) } else { client.socket.send(frame) } }
        #expect(await client.read() == WireFrame(fin: true, opcode: 10, payload: Array("ping".utf8)))
        #expect(await client.read()?.text == "fragment1fragment2")
    }

    // 5.9-5.14: a continuation with nothing to continue, with fin set or not.
    @Test(arguments: [true, false])
    func case5_9to5_14_continuationWithoutAMessageIsAProtocolError(fin: Bool) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(0, Array("non-continuation payload".utf8), fin: fin)
        client.send(text: "Hello, world!")
        #expect(await client.closeCode(skipping: []) == 1002)
    }

    // 5.15: a message completed, then a continuation of it.
    @Test func case5_15_continuationAfterTheFinalFragmentIsAProtocolError() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(1, Array("fragment1".utf8), fin: false)
        client.send(0, Array("fragment2".utf8))
        client.send(0, Array("fragment3".utf8), fin: false)
        client.send(0, Array("fragment4".utf8))
        #expect(await client.read()?.text == "fragment1fragment2")
        #expect(await client.closeCode(skipping: []) == 1002)
    }

    // 5.18: a new text frame inside a fragmented message.
    @Test func case5_18_newMessageInsideAFragmentedOneIsAProtocolError() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(1, Array("fragment1".utf8), fin: false)
        client.send(1, Array("fragment2".utf8))
        #expect(await client.closeCode(skipping: []) == 1002)
    }

    // 5.19, 5.20: five fragments with pings between them, sent apart.
    @Test func case5_19_fragmentsWithPingsBetween() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        for i in 1...5 {
            client.send(9, Array("pongme \(i)!".utf8))
            client.send(i == 1 ? 1 : 0, Array("fragment\(i)".utf8), fin: i == 5)
            #expect(await client.read() == WireFrame(fin: true, opcode: 10, payload: Array("pongme \(i)!".utf8)))
        }
        #expect(await client.read()?.text == "fragment1fragment2fragment3fragment4fragment5")
    }

    // 6.1-6.2 and valid boundaries of 6.3-6.23: valid UTF-8 (also split inside characters across
    // fragments) is echoed.
    @Test(arguments: ["", "Hello-µ@ßöäüàá-UTF-8!!", "κόσμε", "\u{0080}\u{07FF}\u{0800}\u{FFFF}\u{10000}\u{10FFFF}", "\u{D7FF}\u{E000}\u{FFFD}"])
    func case6_validUTF8IsEchoedWholeAndFragmented(text: String) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(text: text)
        #expect(await client.read()?.text == text)
        let bytes = Array(text.utf8)
        for (index, byte) in bytes.enumerated() { client.send(index == 0 ? 1 : 0, [byte], fin: index == bytes.count - 1) }
        if !bytes.isEmpty { #expect(await client.read()?.text == text) }
    }

    // 6.3-6.21: invalid sequences (lone continuation bytes, overlong forms, surrogates, code points
    // above U+10FFFF, truncated sequences, 0xFE/0xFF) fail with 1007.
    @Test(arguments: [
        [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64],
        [0x80], [0xBF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF], [0xC1, 0xBF],
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF],
        [0xC2], [0xE0, 0xA0], [0xF0, 0x90, 0x80], [0x61, 0xC2, 0x61],
    ] as [[UInt8]])
    func case6_invalidUTF8IsRefusedWith1007(bytes: [UInt8]) async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        client.send(1, bytes)
        #expect(await client.closeCode(skipping: []) == 1007)
    }

    // 6.4.1-6.4.4: fail fast. The invalid bytes are in the first part of a frame whose rest never
    // comes: the server must close with 1007 without waiting for the end of the frame or message.
    @Test func case6_4_invalidUTF8FailsBeforeTheFrameIsComplete() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        let bytes: [UInt8] = Array("κόσμε".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("edited".utf8)
        let frame = RawWebSocket.frame(1, bytes)
        client.socket.send(Array(frame[..<(frame.count - 6)]))
        #expect(await client.closeCode(skipping: []) == 1007)
        // and across fragments: the first fragment is valid, the second starts invalid, no final one
        let second = try await RawWebSocket(port: server.port)
        second.send(1, Array("κόσμε".utf8), fin: false)
        second.send(0, [0xED, 0xA0, 0x80], fin: false)
        #expect(await second.closeCode(skipping: []) == 1007)
    }

    // 6.2.4: a character split over frames in the middle of its bytes is fine.
    @Test func case6_2_characterSplitAcrossFragments() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        let bytes = Array("κόσμε-😃".utf8)
        client.send(1, Array(bytes[..<3]), fin: false)
        client.send(0, Array(bytes[3..<9]), fin: false)
        client.send(0, Array(bytes[9...]))
        #expect(await client.read()?.text == "κόσμε-😃")
    }
}
