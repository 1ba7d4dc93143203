/// Receives a frame stream from `WebSocketFrameDecoder` piece by piece: a header, its payload in
/// unmasked chunks as they arrive (so text can be validated before the frame is complete), the end.
/// Returning a violation stops the decoder.
protocol WebSocketFrameSink {
    mutating func frameBegan(_ header: WebSocketFrameHeader) -> WebSocketViolation?
    mutating func framePayload(_ bytes: UnsafeRawBufferPointer) -> WebSocketViolation?
    mutating func frameEnded() -> WebSocketViolation?
}
