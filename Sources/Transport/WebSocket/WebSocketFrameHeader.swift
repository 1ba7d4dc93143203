/// The fixed part of a frame (RFC 6455 section 5.2).
public struct WebSocketFrameHeader: Sendable, Equatable {
    public var fin: Bool
    /// RSV1-3 as the low three bits; non-zero only with a negotiated extension (never, here).
    public var reserved: UInt8
    public var opcode: WebSocketOpcode
    public var maskKey: UInt32?
    public var length: Int
}
