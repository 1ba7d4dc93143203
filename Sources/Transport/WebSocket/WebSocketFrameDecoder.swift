/// An incremental frame decoder. It checks what a frame alone can break: reserved bits, unknown
/// opcodes, the masking rule of the side it decodes for, control frame rules, the length encoding
/// and the frame size limit. Payload is streamed to the sink as it arrives, still masked (the sink
/// unmasks it where it keeps it, so nothing is copied twice and no scratch buffer is held).
struct WebSocketFrameDecoder {
    /// Servers require masked frames, clients unmasked ones.
    let expectMasked: Bool
    let maxFrameSize: Int
    /// A header split over reads, kept until it is complete (empty, holding no storage, otherwise).
    private var partialHeader: [UInt8] = []
    private var current: WebSocketFrameHeader?
    private var remaining = 0
    /// Payload bytes of the current frame delivered so far.
    private var delivered = 0
    private(set) var failed: WebSocketViolation?

    init(expectMasked: Bool, maxFrameSize: Int) {
        self.expectMasked = expectMasked
        self.maxFrameSize = maxFrameSize
    }

    /// Feeds bytes; returns the first violation (from the frame or from the sink), after which the
    /// decoder refuses everything.
    mutating func feed<Sink: WebSocketFrameSink>(_ input: UnsafeRawBufferPointer, into sink: inout Sink) -> WebSocketViolation? {
        if let failed { return failed }
        var index = 0
        while index < input.count {
            if current == nil {
                let parsed: Result<WebSocketFrameHeader, WebSocketViolation>
                let available = input.count - index
                if partialHeader.isEmpty, available >= 2,
                   case let need = Self.headerSize(input[index + 1]), available >= need {
                    // The whole header is in this read: parse it in place.
                    parsed = parseHeader(UnsafeRawBufferPointer(rebasing: input[index..<index + need]))
                    index += need
                } else {
                    while partialHeader.count < 2 || partialHeader.count < Self.headerSize(partialHeader[1]) {
                        if index == input.count { return nil }
                        let need = partialHeader.count < 2 ? 2 : Self.headerSize(partialHeader[1])
                        let take = min(need - partialHeader.count, input.count - index)
                        partialHeader.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<index + take]))
                        index += take
                    }
                    parsed = partialHeader.withUnsafeBytes { parseHeader($0) }
                    partialHeader = []
                }
                switch parsed {
                case .failure(let violation): return fail(violation)
                case .success(let header):
                    current = header
                    remaining = header.length
                    delivered = 0
                    if let violation = sink.frameBegan(header) { return fail(violation) }
                }
            }
            if remaining > 0 {
                let take = min(remaining, input.count - index)
                if take == 0 { return nil }
                let chunk = UnsafeRawBufferPointer(rebasing: input[index..<index + take])
                if let violation = sink.framePayload(chunk, offset: delivered) { return fail(violation) }
                index += take
                remaining -= take
                delivered += take
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

    /// How many bytes the header takes, given its second byte.
    private static func headerSize(_ second: UInt8) -> Int {
        let extra: Int
        switch second & 0x7F {
        case 126: extra = 2
        case 127: extra = 8
        default: extra = 0
        }
        return 2 + extra + (second & 0x80 != 0 ? 4 : 0)
    }

    /// Parses a complete header (exactly `headerSize` bytes).
    private func parseHeader(_ bytes: UnsafeRawBufferPointer) -> Result<WebSocketFrameHeader, WebSocketViolation> {
        let first = bytes[0], second = bytes[1]
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
            length = UInt64(bytes[2]) << 8 | UInt64(bytes[3])
            position = 4
        } else if length == 127 {
            length = 0
            for index in 2..<10 { length = length << 8 | UInt64(bytes[index]) }
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
            key = UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16 | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
        }
        return .success(WebSocketFrameHeader(fin: fin, reserved: reserved, opcode: opcode, maskKey: key, length: Int(length)))
    }

    /// Unmasks `input` into `output` (which may be the same memory), or copies it when there is no key.
    /// Returns whether every byte is ASCII (then text needs no further UTF-8 check).
    @discardableResult
    static func unmaskOrCopy(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, key: UInt32?, offset: Int) -> Bool {
        unmask(input, into: output, key: key ?? 0, offset: offset)
    }

    /// XORs `input` with the key (big-endian, as on the wire), starting `offset` bytes into it;
    /// `output` may be the same memory as `input`. Returns whether every output byte is ASCII.
    @discardableResult
    static func unmask(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, key: UInt32, offset: Int) -> Bool {
        // The key as it lies in memory, turned so that byte 0 is the one for the first input byte.
        let shift = UInt32((offset & 3) * 8)
        let turned = shift == 0 ? key : key << shift | key >> (32 - shift)
        let word32 = turned.bigEndian
        let word = UInt64(word32) | UInt64(word32) << 32
        let count = input.count
        guard count > 0, let source = input.baseAddress, let target = output.baseAddress else { return true }
        let wide = unsafeBitCast((word, word), to: SIMD16<UInt8>.self)
        var seen = SIMD16<UInt8>()
        var i = 0
        while i + 16 <= count {
            let value = source.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self) ^ wide
            target.storeBytes(of: value, toByteOffset: i, as: SIMD16<UInt8>.self)
            seen |= value
            i += 16
        }
        var high = UInt8(0)
        withUnsafeBytes(of: word) { keyBytes in
            while i < count {
                let value = source.load(fromByteOffset: i, as: UInt8.self) ^ keyBytes[i & 3]
                target.storeBytes(of: value, toByteOffset: i, as: UInt8.self)
                high |= value
                i += 1
            }
        }
        return (seen.max() | high) < 0x80
    }
}
