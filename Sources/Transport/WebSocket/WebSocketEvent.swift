/// What a WebSocket connection delivers to the application, in order.
public enum WebSocketEvent: Sendable, Equatable {
    case text(String)
    case binary([UInt8])
    /// The connection is closed: the peer's code (1005 when it sent none, 1006 when it vanished
    /// without a close frame), or the code this side closed with after a violation. Always last.
    case closed(code: UInt16, reason: String)
}
