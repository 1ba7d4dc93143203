import CirclesCore
import Transport

/// Everything a `CircleClient` is built with (see `CircleClient.Builder`).
public struct CircleClientConfiguration: Sendable {
    /// `ws://host:port/CIRCLE_PUBLIC_KEY` (or `wss://`).
    public var url: String
    /// The caller's identity; needed for `authenticate()`.
    public var privateKey: PrivateKey?
    public var signingScheme: SigningScheme = .compact
    /// Seconds a call waits for its answer (and for a connection while reconnecting).
    public var timeout = 60.0
    /// Seconds to open the TCP connection and finish the WebSocket handshake.
    public var connectTimeout = 10.0
    /// Reopen a dropped connection and authenticate again; nil: a drop fails later calls with `notConnected`.
    public var reconnect: ReconnectPolicy?
    public var webSocket = WebSocketConfiguration()
    /// Whom a `wss://` node must prove to be; nil: the system's CA store, with the host name checked.
    public var tls: TLSClientContext?
    public var group: EventLoopGroup = .shared

    public init(url: String) {
        self.url = url
    }
}
