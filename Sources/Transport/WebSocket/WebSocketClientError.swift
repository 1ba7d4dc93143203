/// Why a WebSocket client could not connect.
public enum WebSocketClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case connectFailed(String)
    /// TLS could not be set up: an untrusted certificate, a host name mismatch, a failed handshake.
    case tlsFailed(TLSError)
    /// The server answered the upgrade with something other than a valid 101.
    case handshakeRefused(status: Int, body: String)
    case handshakeInvalid(String)
    case timedOut

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid WebSocket URL \(url) (expected ws://host:port/path or wss://...)"
        case .connectFailed(let detail): detail
        case .tlsFailed(let error): error.description
        case .handshakeRefused(let status, let body): "the server refused the WebSocket upgrade with HTTP \(status)" + (body.isEmpty ? "" : ": \(body)")
        case .handshakeInvalid(let detail): "invalid WebSocket handshake response: \(detail)"
        case .timedOut: "the WebSocket handshake timed out"
        }
    }
}
