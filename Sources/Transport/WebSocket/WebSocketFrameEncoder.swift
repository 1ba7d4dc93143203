/// Builds frames: servers send them unmasked, clients masked with a fresh key per frame.
enum WebSocketFrameEncoder {
    static func encode(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer, fin: Bool = true, masked: Bool) -> [UInt8] {
        let count = payload.count
        let headerSize = 2 + (count < 126 ? 0 : count <= 0xFFFF ? 2 : 8) + (masked ? 4 : 0)
        return [UInt8](unsafeUninitializedCapacity: headerSize + count) { buffer, initialized in
            buffer[0] = (fin ? 0x80 : 0) | opcode.rawValue
            let maskBit: UInt8 = masked ? 0x80 : 0
            var position = 2
            if count < 126 {
                buffer[1] = maskBit | UInt8(count)
            } else if count <= 0xFFFF {
                buffer[1] = maskBit | 126
                buffer[2] = UInt8(count >> 8)
                buffer[3] = UInt8(count & 0xFF)
                position = 4
            } else {
                buffer[1] = maskBit | 127
                for i in 0..<8 { buffer[2 + i] = UInt8(truncatingIfNeeded: UInt64(count) >> (56 - 8 * i)) }
                position = 10
            }
            let body = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[(headerSize)...])
            if masked {
                let key = UInt32.random(in: 0...UInt32.max)
                for i in 0..<4 { buffer[position + i] = UInt8(truncatingIfNeeded: key >> (24 - 8 * i)) }
                WebSocketFrameDecoder.unmask(payload, into: body, key: key, offset: 0)
            } else if count > 0 {
                body.copyMemory(from: payload)
            }
            initialized = headerSize + count
        }
    }

    static func encode(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, masked: Bool) -> [UInt8] {
        payload.withUnsafeBytes { encode(opcode, $0, fin: fin, masked: masked) }
    }

    /// A close frame's payload: the code, big-endian, then the reason (cut to fit 125 bytes on a
    /// character boundary).
    static func closePayload(code: UInt16, reason: String) -> [UInt8] {
        var bytes = [UInt8(code >> 8), UInt8(code & 0xFF)]
        var text = reason
        while text.utf8.count > 123 { text.removeLast() }
        bytes.append(contentsOf: text.utf8)
        return bytes
    }
}
