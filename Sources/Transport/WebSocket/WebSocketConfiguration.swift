/// Limits and timers of a WebSocket connection.
public struct WebSocketConfiguration: Sendable {
    /// A frame with a longer payload is refused with close 1009.
    public var maxFrameSize = 1 << 20
    /// A message (all its fragments) longer than this is refused with close 1009.
    public var maxMessageSize = 4 << 20
    /// A ping goes out after this long without traffic from the peer; 0 turns keep-alive off.
    public var pingInterval = 30.0
    /// The connection is dropped when nothing arrives this long after a keep-alive ping.
    public var pongTimeout = 20.0
    /// How long to wait for the peer's close frame (and, on the server, for its FIN) after ours.
    public var closeTimeout = 5.0

    public init(maxFrameSize: Int = 1 << 20, maxMessageSize: Int = 4 << 20) {
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
    }
}
