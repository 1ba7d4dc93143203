import TestSupport
import Testing
@testable import Transport

/// The batched echo path: many frames in one write (replies gathered and sent together, frames split
/// across reads, messages built straight from the read buffer), masking at every offset, and the
/// decoder fed in arbitrary pieces.
@Suite struct WebSocketBatchingTests {
    @Test func manyFramesInOneWriteComeBackInOrder() async throws {
        let server = try WebSocketEchoServer()
        defer { server.stop() }
        let client = try await RawWebSocket(port: server.port)
        var expected: [WireFrame] = []
        var wire: [UInt8] = []
        for index in 0..<600 {
            // Sizes cross the 7-bit and 16-bit length encodings; one message is larger than a read.
            let size = index == 300 ? 100_000 : index == 301 ? 70_000 : (index * 37) % 700
            let binary = index % 3 == 0
            let payload: [UInt8] = binary
                ? (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
                : Array(String(repeating: "é\(index % 10)ü-", count: size / 6 + 1).utf8)
            wire += RawWebSocket.frame(binary ? 2 : 1, payload)
            expected.append(WireFrame(fin: true, opcode: binary ? 2 : 1, payload: payload))
        }
        let total = expected.reduce(0) { $0 + 2 + ($1.payload.count < 126 ? 0 : $1.payload.count <= 0xFFFF ? 2 : 8) + $1.payload.count }
        let socket = client.socket
        let bytes = wire
        async let sent: Void = onDedicatedThread { socket.send(bytes) }
        let echoed = await socket.read(total)
        await sent
        #expect(Self.frames(in: echoed) == expected)
    }

    @Test func unmaskingMatchesByteWiseXorAtEveryOffset() {
        let key: UInt32 = 0x37FA_213D
        let keyBytes: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        for length in 0..<40 {
            var cases: [(input: [UInt8], offset: Int)] = []
            for offset in 0..<8 {
                // Bytes of both halves, and bytes that unmask to ASCII (text).
                let mixed: [UInt8] = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 5) }
                let text: [UInt8] = (0..<length).map { (index: Int) -> UInt8 in UInt8(0x20 + index % 90) ^ keyBytes[(index + offset) & 3] }
                cases += [(mixed, offset), (text, offset)]
            }
            for (input, offset) in cases {
                let expected = input.enumerated().map { $0.element ^ keyBytes[($0.offset + offset) & 3] }
                var output = [UInt8](repeating: 0, count: length)
                let ascii = input.withUnsafeBytes { source in
                    output.withUnsafeMutableBytes { WebSocketFrameDecoder.unmask(source, into: $0, key: key, offset: offset) }
                }
                #expect(output == expected, "length \(length), offset \(offset)")
                #expect(ascii == expected.allSatisfy { $0 < 0x80 }, "ASCII: length \(length), offset \(offset)")
                var inPlace = input
                let inPlaceASCII = inPlace.withUnsafeMutableBytes {
                    WebSocketFrameDecoder.unmask(UnsafeRawBufferPointer($0), into: $0, key: key, offset: offset)
                }
                #expect(inPlace == expected, "in place: length \(length), offset \(offset)")
                #expect(inPlaceASCII == ascii)
            }
        }
    }

    @Test(arguments: [1, 2, 3, 7, 13, 64, 1000, 1 << 20])
    func encodedFramesDecodeWhateverTheReadSize(readSize: Int) {
        let sizes = [0, 1, 5, 125, 126, 127, 1000, 65_535, 65_536, 70_001]
        var wire: [UInt8] = []
        var payloads: [[UInt8]] = []
        for (index, size) in sizes.enumerated() {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ index) }
            payloads.append(payload)
            wire += WebSocketFrameEncoder.encode(index % 2 == 0 ? .binary : .ping, Array(payload.prefix(index % 2 == 0 ? size : 125)), masked: true)
        }
        var decoder = WebSocketFrameDecoder(expectMasked: true, maxFrameSize: 1 << 20)
        var sink = CollectingSink()
        var position = 0
        while position < wire.count {
            let end = min(wire.count, position + readSize)
            let violation = wire[position..<end].withUnsafeBytes { decoder.feed($0, into: &sink) }
            #expect(violation == nil)
            position = end
        }
        #expect(sink.frames.count == sizes.count)
        for (index, frame) in sink.frames.enumerated() {
            let expected = index % 2 == 0 ? payloads[index] : Array(payloads[index].prefix(125))
            #expect(frame.payload == expected, "frame \(index)")
            #expect(frame.opcode == (index % 2 == 0 ? .binary : .ping))
        }
    }

    @Test func outboundBufferKeepsOrderWhileSlidingAndGrowing() {
        let buffer = OutboundBuffer()
        var model: [UInt8] = []
        var next: UInt8 = 0
        for step in 0..<2_000 {
            let count = (step * 7919) % 300
            let bytes = (0..<count).map { _ in next &+= 1; return next }
            if step % 3 == 0 {
                let target = buffer.reserve(count)
                bytes.withUnsafeBytes { if count > 0 { target.copyMemory(from: $0.baseAddress!, byteCount: count) } }
                buffer.commit(count)
            } else {
                bytes.withUnsafeBytes { buffer.append($0) }
            }
            model += bytes
            let take = min(model.count, (step * 104_729) % 400)
            #expect(Array(buffer.bytes.prefix(take)) == Array(model.prefix(take)))
            buffer.consume(take)
            model.removeFirst(take)
            #expect(buffer.count == model.count)
        }
        #expect(Array(buffer.bytes) == model)
    }

    /// Splits server frames (unmasked) off a byte stream.
    static func frames(in bytes: [UInt8]) -> [WireFrame] {
        var frames: [WireFrame] = []
        var index = 0
        while index + 2 <= bytes.count {
            var length = Int(bytes[index + 1] & 0x7F)
            var start = index + 2
            if length == 126 {
                length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
                start += 2
            } else if length == 127 {
                length = bytes[(index + 2)..<(index + 10)].reduce(0) { $0 << 8 | Int($1) }
                start += 8
            }
            guard start + length <= bytes.count else { break }
            frames.append(WireFrame(fin: bytes[index] & 0x80 != 0, opcode: bytes[index] & 0x0F, payload: Array(bytes[start..<(start + length)])))
            index = start + length
        }
        return frames
    }
}

/// Collects decoded frames, unmasking as the connection does.
private struct CollectingSink: WebSocketFrameSink {
    var frames: [(opcode: WebSocketOpcode, payload: [UInt8])] = []
    var header: WebSocketFrameHeader?

    mutating func frameBegan(_ header: WebSocketFrameHeader) -> WebSocketViolation? {
        self.header = header
        frames.append((header.opcode, []))
        return nil
    }

    mutating func framePayload(_ bytes: UnsafeRawBufferPointer, offset: Int) -> WebSocketViolation? {
        var plain = [UInt8](repeating: 0, count: bytes.count)
        plain.withUnsafeMutableBytes { _ = WebSocketFrameDecoder.unmaskOrCopy(bytes, into: $0, key: header?.maskKey, offset: offset) }
        frames[frames.count - 1].payload += plain
        return nil
    }

    mutating func frameEnded() -> WebSocketViolation? { nil }
}
