@testable import Transport

/// A `WebSocketFrameSink` that records what the decoder delivered, one entry per frame with its
/// payload unmasked and joined, so runs fed in different pieces can be compared. It checks the
/// decoder's promises as they happen (each chunk's offset continues the payload) and can
/// refuse frames like a connection does, to see that the decoder then stops.
struct FrameTrace: WebSocketFrameSink, Equatable {
    struct Frame: Equatable {
        var header: WebSocketFrameHeader
        var payload: [UInt8]
        var ended = false
    }

    /// The sink refuses (with 1009) once this many payload bytes arrived in all, like a message limit.
    var refuseAfter = Int.max
    private(set) var frames: [Frame] = []
    private(set) var refusal: WebSocketViolation?
    private(set) var callsAfterRefusal = 0
    private(set) var misplacedChunks = 0
    private var total = 0

    init(refuseAfter: Int = .max) { self.refuseAfter = refuseAfter }

    mutating func frameBegan(_ header: WebSocketFrameHeader) -> WebSocketViolation? {
        if refusal != nil { callsAfterRefusal += 1 }
        frames.append(Frame(header: header, payload: []))
        return nil
    }

    mutating func framePayload(_ bytes: UnsafeRawBufferPointer, offset: Int) -> WebSocketViolation? {
        if refusal != nil { callsAfterRefusal += 1 }
        if offset != frames[frames.count - 1].payload.count { misplacedChunks += 1 }
        // Kept up to the limit only, so that where the input was split does not show.
        let kept = min(bytes.count, max(0, refuseAfter - total))
        var plain = [UInt8](repeating: 0, count: kept)
        plain.withUnsafeMutableBytes { output in
            _ = WebSocketFrameDecoder.unmaskOrCopy(UnsafeRawBufferPointer(rebasing: bytes.prefix(kept)), into: output,
                                                   key: frames[frames.count - 1].header.maskKey, offset: offset)
        }
        frames[frames.count - 1].payload.append(contentsOf: plain)
        total += kept
        if kept < bytes.count {
            refusal = WebSocketViolation(WebSocketCloseCode.tooBig, "over \(refuseAfter) bytes")
            return refusal
        }
        return nil
    }

    mutating func frameEnded() -> WebSocketViolation? {
        if refusal != nil { callsAfterRefusal += 1 }
        frames[frames.count - 1].ended = true
        return nil
    }
}
