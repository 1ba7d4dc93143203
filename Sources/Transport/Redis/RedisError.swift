/// Why a Redis command produced no reply.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Could not connect (or authenticate/select) to the server.
    case connectFailed(String)
    /// The connection dropped before the reply came; the command may or may not have run.
    case disconnected(String)
    /// The server answered with an error reply.
    case server(String)
    /// Recently failed to connect: failing fast until the backoff allows another attempt.
    case unavailable(String)
    /// The reply stream could not be parsed.
    case protocolError(String)
    case invalidURL(String)
    case closed

    public var description: String {
        switch self {
        case .connectFailed(let reason): "cannot connect to Redis: \(reason)"
        case .disconnected(let reason): "Redis connection lost: \(reason)"
        case .server(let message): "Redis error: \(message)"
        case .unavailable(let reason): "Redis unavailable: \(reason)"
        case .protocolError(let reason): "Redis protocol error: \(reason)"
        case .invalidURL(let reason): "invalid Redis URL: \(reason)"
        case .closed: "Redis connection closed"
        }
    }
}
