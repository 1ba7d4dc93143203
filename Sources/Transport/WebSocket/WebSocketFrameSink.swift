/// Receives a frame stream from `WebSocketFrameDecoder` piece by piece: a header, its payload in
/// chunks as they arrive, still masked (so text can be validated before the frame is complete, and
/// the sink unmasks it straight into wherever it keeps it), the end. Returning a violation stops the
/// decoder.
protocol WebSocketFrameSink {
    mutating func frameBegan(_ header: WebSocketFrameHeader) -> WebSocketViolation?
    /// `offset`: where `bytes` start in the frame's payload (for the mask).
    mutating func framePayload(_ bytes: UnsafeRawBufferPointer, offset: Int) -> WebSocketViolation?
    mutating func frameEnded() -> WebSocketViolation?
}
