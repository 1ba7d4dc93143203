// libFuzzer harness for the WebSocket frame decoder (scripts/fuzz.sh websocket SECONDS), compiled
// with the decoder's sources into one module. The first input byte chooses the side (masked client
// frames or unmasked server frames) and how the rest is split into reads; the frames delivered,
// their unmasked payloads and the first violation must not depend on the split, and every delivered
// frame must obey RFC 6455 and the size limit.

struct RecordingSink: WebSocketFrameSink {
    var events: [String] = []
    var payload: [UInt8] = []
    var header: WebSocketFrameHeader?
    var text = UTF8Validator()
    let maxFrameSize: Int

    mutating func frameBegan(_ header: WebSocketFrameHeader) -> WebSocketViolation? {
        precondition(header.length <= maxFrameSize, "a frame over the limit was delivered")
        precondition(header.reserved == 0, "reserved bits were delivered")
        if header.opcode.rawValue >= 0x8 { precondition(header.fin && header.length <= 125, "a bad control frame was delivered") }
        self.header = header
        payload = []
        text.reset()
        events.append("begin \(header.opcode) fin=\(header.fin) masked=\(header.maskKey != nil) length=\(header.length)")
        return nil
    }

    mutating func framePayload(_ bytes: UnsafeRawBufferPointer, offset: Int) -> WebSocketViolation? {
        guard let header else { preconditionFailure("payload before a header") }
        precondition(offset == payload.count && offset + bytes.count <= header.length, "payload offset or length wrong")
        var unmasked = Array(bytes)
        if let key = header.maskKey {
            for index in unmasked.indices {
                let shift = UInt32(3 - (offset + index) % 4) * 8
                unmasked[index] ^= UInt8(truncatingIfNeeded: key >> shift)
            }
        }
        payload.append(contentsOf: unmasked)
        if header.opcode == .text, !unmasked.withUnsafeBytes({ text.feed($0) }) {
            return WebSocketViolation(WebSocketCloseCode.invalidPayload, "invalid UTF-8")
        }
        return nil
    }

    mutating func frameEnded() -> WebSocketViolation? {
        guard let header else { preconditionFailure("an end before a header") }
        precondition(payload.count == header.length, "a frame ended short of its length")
        events.append("end \(payload.hashValue)")
        self.header = nil
        return nil
    }
}

private func decode(_ input: [UInt8], pieces: [Int], masked: Bool) -> ([String], WebSocketViolation?) {
    var decoder = WebSocketFrameDecoder(expectMasked: masked, maxFrameSize: 70_000)
    var sink = RecordingSink(maxFrameSize: 70_000)
    var violation: WebSocketViolation?
    FuzzPieces.feed(input, pieces: pieces) { read in
        violation = decoder.feed(read, into: &sink)
        return violation == nil
    }
    return (sink.events, violation)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebSocketFrameDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let cut = FuzzPieces(data, size, maxPiece: 32) else { return 0 }
    let (control, input, pieces) = (cut.control, cut.input, cut.pieces)
    let masked = control & 1 == 0
    let whole = decode(input, pieces: [], masked: masked)
    let split = decode(input, pieces: pieces, masked: masked)
    precondition(whole.0 == split.0 && whole.1 == split.1, "the decoder decided differently for the same bytes")
    return 0
}
