/// Builds frames: servers send them unmasked, clients masked with a fresh key per frame.
enum WebSocketFrameEncoder {
    /// The size of a frame with `count` payload bytes.
    static func frameSize(payload count: Int, masked: Bool) -> Int {
        2 + (count < 126 ? 0 : count <= 0xFFFF ? 2 : 8) + (masked ? 4 : 0) + count
    }

    /// Writes the frame (`frameSize` bytes) at `out`.
    static func encode(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer, fin: Bool = true, masked: Bool,
                       into out: UnsafeMutableRawPointer) {
        let count = payload.count
        out.storeBytes(of: (fin ? 0x80 : 0) | opcode.rawValue, as: UInt8.self)
        let maskBit: UInt8 = masked ? 0x80 : 0
        var position = 2
        if count < 126 {
            out.storeBytes(of: maskBit | UInt8(count), toByteOffset: 1, as: UInt8.self)
        } else if count <= 0xFFFF {
            out.storeBytes(of: maskBit | 126, toByteOffset: 1, as: UInt8.self)
            out.storeBytes(of: UInt16(count).bigEndian, toByteOffset: 2, as: UInt16.self)
            position = 4
        } else {
            out.storeBytes(of: maskBit | 127, toByteOffset: 1, as: UInt8.self)
            out.storeBytes(of: UInt64(count).bigEndian, toByteOffset: 2, as: UInt64.self)
            position = 10
        }
        if masked {
            let key = UInt32.random(in: 0...UInt32.max)
            out.storeBytes(of: key.bigEndian, toByteOffset: position, as: UInt32.self)
            position += 4
            WebSocketFrameDecoder.unmask(payload, into: UnsafeMutableRawBufferPointer(start: out + position, count: count), key: key, offset: 0)
        } else if count > 0 {
            (out + position).copyMemory(from: payload.baseAddress!, byteCount: count)
        }
    }

    static func encode(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer, fin: Bool = true, masked: Bool) -> [UInt8] {
        let size = frameSize(payload: payload.count, masked: masked)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            encode(opcode, payload, fin: fin, masked: masked, into: buffer.baseAddress!)
            initialized = size
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
