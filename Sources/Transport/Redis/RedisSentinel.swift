
/// Finding the master of a `redis+sentinel://` URL: each sentinel in turn is asked
/// `SENTINEL get-master-addr-by-name NAME` until one names a master; the connection made to it then
/// checks `ROLE` (a demoted master, or one a sentinel still names during a failover, is refused), so
/// a client that reconnects after a lost connection, a `READONLY` or a `MASTERDOWN` reply finds the
/// new master by itself.
public enum RedisSentinel {
    /// Error replies after which a connection is dropped so that the next one asks the sentinels again.
    public static func isFailoverError(_ message: String) -> Bool {
        message.hasPrefix("READONLY") || message.hasPrefix("MASTERDOWN") || message.hasPrefix("LOADING")
    }

    /// The master `url`'s sentinels name (as a direct URL), asking each within `timeout` seconds (with
    /// the sentinels' credentials; over TLS, trusting what `tls` trusts, for `rediss+sentinel://`).
    public static func master(of url: RedisURL, timeout: Double, tls: TLSClientContext? = nil,
                              group: EventLoopGroup) async throws(RedisError) -> RedisURL {
        var reasons: [String] = []
        for sentinel in url.sentinels {
            do throws(RedisError) {
                let connection = try await RedisConnection.connect(url.sentinelURL(sentinel), timeout: timeout, tls: tls, group: group)
                defer { connection.close() }
                let reply = try await connection.send(query(url))
                return try master(url, from: reply)
            } catch {
                reasons.append("\(sentinel.host):\(sentinel.port): \(error)")
            }
        }
        throw .connectFailed("no sentinel named a master for \(url.masterName ?? "?"): " + reasons.joined(separator: "; "))
    }

    /// The blocking form of `master(of:timeout:group:)`, for dedicated threads.
    public static func masterBlocking(of url: RedisURL, timeout: Double) throws(RedisError) -> RedisURL {
        var reasons: [String] = []
        for sentinel in url.sentinels {
            do throws(RedisError) {
                let connection = try RedisBlockingConnection(url.sentinelURL(sentinel), timeout: timeout, replyTimeout: timeout)
                defer { connection.close() }
                return try master(url, from: try connection.send(query(url)))
            } catch {
                reasons.append("\(sentinel.host):\(sentinel.port): \(error)")
            }
        }
        throw .connectFailed("no sentinel named a master for \(url.masterName ?? "?"): " + reasons.joined(separator: "; "))
    }

    /// The command that checks, on a new connection, that the server is the master.
    static let roleCommand = ["ROLE"]

    /// Throws unless `reply` (to ROLE) says master.
    static func checkRole(_ reply: RedisValue, at url: RedisURL) throws(RedisError) {
        guard let role = reply.array?.first?.string else {
            throw .connectFailed("\(url): ROLE answered \(reply)")
        }
        guard role == "master" else { throw .connectFailed("\(url) is a \(role), not the master (a failover in progress?)") }
    }

    private static func query(_ url: RedisURL) -> [String] {
        ["SENTINEL", "get-master-addr-by-name", url.masterName ?? ""]
    }

    private static func master(_ url: RedisURL, from reply: RedisValue) throws(RedisError) -> RedisURL {
        guard let pair = reply.array, pair.count == 2, let host = pair[0].string, let portText = pair[1].string,
              let port = Int(portText), (1...65535).contains(port) else {
            throw .connectFailed("no master named \(url.masterName ?? "?") (\(reply))")
        }
        return url.direct(host: host, port: port)
    }
}
