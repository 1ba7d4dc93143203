/// Limits and timeouts of an HTTP server (SPEC section 12 defaults).
public struct HTTPServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var maxHeadBytes = 16 * 1024
    /// More header fields than this in one request are refused with 431.
    public var maxHeaderCount = 100
    /// Seconds a client has to send a complete request head, from its first byte (slow clients are
    /// cut off with 408, however they trickle); while a body arrives, the longest pause in it.
    public var headTimeout = 10.0
    /// Seconds a kept-alive connection may stay idle between requests.
    public var idleTimeout = 60.0
    public var maxConnections = 10_000
    /// Connections per IPv4 address, or per IPv6 /64 (one host's usual allocation); an IPv4-mapped
    /// IPv6 address counts as its IPv4 address.
    public var maxConnectionsPerIP = 1_000
    /// Parsed requests that may wait on one connection for their turn; past that the connection
    /// stops reading until the answers catch up.
    public var maxPipelinedRequests = 8
    /// Answers that may wait unsent on one connection (its peer does not read them) before the
    /// waiting requests are held until the peer catches up.
    public var maxUnsentResponseBytes = 256 * 1024
    /// Hears of each connection refused by `maxConnections` or `maxConnectionsPerIP`, with the reason
    /// (`max_connections`, `per_ip`).
    public var onConnectionRefused: (@Sendable (_ reason: String) -> Void)?
    /// Hears of each failed `accept` other than an aborted connection, with its errno (EMFILE, ENFILE...).
    public var onAcceptError: (@Sendable (_ errno: Int32) -> Void)?
    /// Serves HTTPS (and `wss://`) instead of plain HTTP. The handshake counts against `headTimeout`.
    public var tls: TLSServerContext?
    /// Hears why TLS closed a connection (a failed handshake, plain HTTP on the TLS port...), with the
    /// peer's address; called on the connection's loop thread.
    public var onTLSFailure: (@Sendable (_ peerHost: String, _ error: TLSError) -> Void)?
    /// Told of every answered request (status 101 for a switch of protocols), on the connection's loop
    /// thread: for access logs; it must not block.
    public var onResponse: (@Sendable (_ request: HTTPRequest, _ status: Int, _ bodyBytes: Int) -> Void)?

    public init(host: String = "127.0.0.1", port: Int = 0) {
        self.host = host
        self.port = port
    }
}
