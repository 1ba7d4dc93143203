/// Why a node could not start or had to stop.
public enum NodeError: Error, Sendable, CustomStringConvertible {
    /// A circle's public key in the options is not a valid secp256k1 key.
    case invalidCircle(String, reason: String)
    case noCircles
    /// The listening socket could not be opened (port in use, bad address).
    case bind(host: String, port: Int, reason: String)
    case invalidRedisURL(String)
    /// Redis mode without a task secret, and unsigned tasks not accepted.
    case taskSecretRequired
    /// A `--public-host` name that cannot be a `Host` header value.
    case invalidPublicHost(String)
    /// The supervisor tree gave up (too many restarts).
    case gaveUp(String)

    public var description: String {
        switch self {
        case .invalidCircle(let key, let reason): "invalid circle public key \(key): \(reason)"
        case .noCircles: "no circle to serve (give at least one public key)"
        case .bind(let host, let port, let reason): "cannot listen on \(host):\(port): \(reason)"
        case .invalidRedisURL(let reason): "invalid Redis URL: \(reason)"
        case .taskSecretRequired:
            "Redis mode needs a task secret shared by gateways and workers: set CIRCLES_TASK_SECRET or give --task-secret-file (or --accept-unsigned-tasks to trust everyone who can write to Redis)"
        case .invalidPublicHost(let name): "invalid public host \(name): a host name or address, optionally with :port (no scheme, path or spaces; at most 255 bytes)"
        case .gaveUp(let reason): "the node gave up: \(reason)"
        }
    }
}
