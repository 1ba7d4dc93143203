import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on the event loops: keep-alive and pipelined requests answered in order,
/// handlers run as tasks (off the loop threads), connection limits per node and per IP; HTTPS when
/// configured with TLS.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    let router: HTTPRouter
    private let listener: Mutex<TCPListener?> = Mutex(nil)
    private let counts = Mutex<(total: Int, perIP: [String: Int])>((0, [:]))
    private let boundPort: Int

    public init(configuration: HTTPServerConfiguration, router: HTTPRouter, group: EventLoopGroup = .shared) throws(TransportError) {
        self.configuration = configuration
        self.router = router
        let box = WeakServer()
        let tls = configuration.tls
        let listener = try TCPListener(host: configuration.host, port: configuration.port, group: group,
                                       onAcceptError: configuration.onAcceptError) { connection in
            if let tls, !connection.acceptTLS(tls) { return }
            guard let server = box.server, server.admit(connection.peerHost) else {
                configuration.onConnectionRefused?(box.server?.refusalReason(connection.peerHost) ?? "max_connections")
                connection.start(handler: RejectingHandler())
                connection.write(HTTPResponse.text(503, "too many connections").encoded(keepAlive: false))
                connection.close()
                return
            }
            connection.start(handler: HTTPConnectionHandler(server: server, connection: connection))
        }
        boundPort = listener.port
        self.listener.withLock { $0 = listener }
        box.server = self
    }

    /// The bound port (the real one when configured with 0).
    public var port: Int { boundPort }

    /// Open connections.
    public var connectionCount: Int { counts.withLock { $0.total } }

    /// Stops accepting connections; open ones finish on their own.
    public func stopAccepting() {
        listener.withLock { $0?.close() }
    }

    func admit(_ host: String) -> Bool {
        let key = Self.limitKey(host)
        return counts.withLock { counts in
            guard counts.total < configuration.maxConnections, counts.perIP[key, default: 0] < configuration.maxConnectionsPerIP else {
                return false
            }
            counts.total += 1
            counts.perIP[key, default: 0] += 1
            return true
        }
    }

    func refusalReason(_ host: String) -> String {
        counts.withLock { $0.total >= configuration.maxConnections } ? "max_connections" : "per_ip"
    }

    /// What the per-IP limit counts a peer under: an IPv4 address as it is, an IPv4-mapped IPv6
    /// address as its IPv4 address, any other IPv6 address by its /64 prefix (a host usually holds a
    /// whole /64, so counting single addresses would let it open connections without end).
    static func limitKey(_ host: String) -> String {
        var address = in6_addr()
        guard host.contains(":"), inet_pton(AF_INET6, host, &address) == 1 else { return host }
        let bytes = withUnsafeBytes(of: &address) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }

    func release(_ host: String) {
        let host = Self.limitKey(host)
        counts.withLock { counts in
            counts.total -= 1
            let left = counts.perIP[host, default: 1] - 1
            counts.perIP[host] = left > 0 ? left : nil
        }
    }

    /// Ignores input on a connection refused with 503 while its answer is flushed.
    private final class RejectingHandler: ConnectionHandler {
        func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {}
        func closed(_ connection: TCPConnection) {}
    }

    private final class WeakServer: @unchecked Sendable {
        weak var server: HTTPServer?
    }
}
