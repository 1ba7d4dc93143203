import CirclesCore
import Transport

/// Everything a `CircleClient` is built with (see `CircleClient.Builder`).
public struct CircleClientConfiguration: Sendable {
    /// `ws://host:port/CIRCLE_PUBLIC_KEY` (or `wss://`).
    public var url: String
    /// The caller's identity (secp256k1 or Ed25519); needed for `authenticate()`.
    public var callerKey: CallerPrivateKey?
    /// How a secp256k1 key signs (Ed25519 keys have one scheme).
    public var signingScheme: SigningScheme = .compact
    /// Sign the bare nonce (the legacy form of SPEC 3.1) instead of the bound form: only for original
    /// circles servers, since a server the client talks to could relay such a signature elsewhere.
    public var legacyAuthentication = false
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

    /// The secp256k1 key of `callerKey`, when it is one.
    public var privateKey: PrivateKey? {
        get {
            if case .secp256k1(let key) = callerKey { return key }
            return nil
        }
        set { callerKey = newValue.map(CallerPrivateKey.secp256k1) }
    }
}
