/// An incremental frame decoder. It checks what a frame alone can break: reserved bits, unknown
/// opcodes, the masking rule of the side it decodes for, control frame rules, the length encoding
/// and the frame size limit. Payload is unmasked in place of a scratch buffer and streamed to the sink.
struct WebSocketFrameDecoder {
    /// Servers require masked frames, clients unmasked ones.
    let expectMasked: Bool
    let maxFrameSize: Int
    private var headerBytes: [UInt8] = []
    private var current: WebSocketFrameHeader?
    private var remaining = 0
    private var maskOffset = 0
    private var scratch = [UInt8](repeating: 0, count: 16 * 1024)
    private(set) var failed: WebSocketViolation?

    init(expectMasked: Bool, maxFrameSize: Int) {
        self.expectMasked = expectMasked
        self.maxFrameSize = maxFrameSize
        headerBytes.reserveCapacity(14)
    }

    /// Feeds bytes; returns the first violation (from the frame or from the sink), after which the
    /// decoder refuses everything.
    mutating func feed<Sink: WebSocketFrameSink>(_ input: UnsafeRawBufferPointer, into sink: inout Sink) -> WebSocketViolation? {
        if let failed { return failed }
        var index = 0
        while index < input.count {
            if current == nil {
                while headerBytes.count < headerNeed() {
                    if index == input.count { return nil }
                    let take = min(headerNeed() - headerBytes.count, input.count - index)
                    headerBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<index + take]))
                    index += take
                }
                switch parseHeader() {
                case .failure(let violation): return fail(violation)
                case .success(let header):
                    headerBytes.removeAll(keepingCapacity: true)
                    current = header
                    remaining = header.length
                    maskOffset = 0
                    if let violation = sink.frameBegan(header) { return fail(violation) }
                }
            }
            guard let header = current else { continue }
            if remaining > 0 {
                let take = min(remaining, input.count - index, scratch.count)
                if take == 0 { return nil }

                let chunk = UnsafeRawBufferPointer(rebasing: input[index..<index + take])
                let violation = scratch.withUnsafeMutableBytes { buffer -> WebSocketViolation? in
                    let out = UnsafeMutableRawBufferPointer(rebasing: buffer[..<take])
                    if let key = header.maskKey {
                        Self.unmask(chunk, into: out, key: key, offset: maskOffset)
                    } else {
                        out.copyMemory(from: chunk)
                    }
                    return sink.framePayload(UnsafeRawBufferPointer(out))
                }
                if let violation { return fail(violation) }
                index += take
                remaining -= take
                maskOffset = (maskOffset + take) & 3
            }
            if remaining == 0 {
                current = nil
                if let violation = sink.frameEnded() { return fail(violation) }
            }
        }
        return nil
    }

    private mutating func fail(_ violation: WebSocketViolation) -> WebSocketViolation {
        failed = violation
        return violation
    }

    /// How many header bytes the frame needs, given what has been read of it.
    private func headerNeed() -> Int {
        guard headerBytes.count >= 2 else { return 2 }
        let masked = headerBytes[1] & 0x80 != 0
        let extra: Int
        switch headerBytes[1] & 0x7F {
        case 126: extra = 2
        case 127: extra = 8
        default: extra = 0
        }
        return 2 + extra + (masked ? 4 : 0)
    }

    private func parseHeader() -> Result<WebSocketFrameHeader, WebSocketViolation> {
        let first = headerBytes[0], second = headerBytes[1]
        let reserved = (first >> 4) & 0x7
        guard reserved == 0 else { return .failure(WebSocketViolation(WebSocketCloseCode.protocolError, "reserved bits set without an extension")) }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
            return .failure(WebSocketViolation(WebSocketCloseCode.protocolError, "unknown opcode \(first & 0x0F)"))
        }
        let fin = first & 0x80 != 0
        let masked = second & 0x80 != 0
        if masked != expectMasked {
            return .failure(WebSocketViolation(WebSocketCloseCode.protocolError, expectMasked ? "client frames must be masked" : "server frames must not be masked"))
        }
        var length = UInt64(second & 0x7F)
        var position = 2
        if length == 126 {
            length = UInt64(headerBytes[2]) << 8 | UInt64(headerBytes[3])
            position = 4
        } else if length == 127 {
            length = headerBytes[2..<10].reduce(0) { $0 << 8 | UInt64($1) }
            position = 10
            guard length >> 63 == 0 else { return .failure(WebSocketViolation(WebSocketCloseCode.protocolError, "payload length has its top bit set")) }
        }
        if opcode.isControl {
            guard fin else { return .failure(WebSocketViolation(WebSocketCloseCode.protocolError, "fragmented control frame")) }
            guard length <= 125 else { return .failure(WebSocketViolation(WebSocketCloseCode.protocolError, "control frame payload over 125 bytes")) }
        }
        guard length <= UInt64(maxFrameSize) else {
            return .failure(WebSocketViolation(WebSocketCloseCode.tooBig, "frame of \(length) bytes is over the limit of \(maxFrameSize)"))
        }
        var key: UInt32?
        if masked {
            key = headerBytes[position..<position + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        return .success(WebSocketFrameHeader(fin: fin, reserved: reserved, opcode: opcode, maskKey: key, length: Int(length)))
    }

    /// XORs `input` with the key (big-endian, as on the wire), starting `offset` bytes into it.
    static func unmask(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, key: UInt32, offset: Int) {
        var keyBytes = (UInt8(key >> 24), UInt8(key >> 16 & 0xFF), UInt8(key >> 8 & 0xFF), UInt8(key & 0xFF))
        withUnsafeBytes(of: &keyBytes) { k in
            var rotated = [UInt8](repeating: 0, count: 8)
            for i in 0..<8 { rotated[i] = k[(i + offset) & 3] }
            let word = rotated.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let count = input.count
            var i = 0
            while i + 8 <= count {
                output.storeBytes(of: input.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ word, toByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < count {
                output[i] = input[i] ^ rotated[i & 7]
                i += 1
            }
        }
    }
}
