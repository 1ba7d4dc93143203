/// `redis://[user[:password]@]host[:port][/db]`, or `rediss://…` for TLS, or
/// `redis+sentinel://[[user:]password@]host:port[,host:port…]/mastername[/db]` for the master that
/// Redis Sentinel names (the password is the master's; the sentinels are asked without one).
public struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    /// A sentinel's address.
    public struct Endpoint: Sendable, Equatable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int
    /// Whether to speak TLS (`rediss://`).
    public var tls: Bool
    /// The sentinels to ask for the master (empty: `host` and `port` are the server).
    public var sentinels: [Endpoint] = []
    /// The master's name at the sentinels (`redis+sentinel://` only).
    public var masterName: String?

    /// Whether the server is found through Sentinel.
    public var usesSentinel: Bool { !sentinels.isEmpty }

    /// This URL aimed at `host:port` directly (credentials and database kept): the master a
    /// sentinel named.
    public func direct(host: String, port: Int) -> RedisURL {
        RedisURL(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    public init(host: String = "127.0.0.1", port: Int = 6379, username: String? = nil, password: String? = nil,
                database: Int = 0, tls: Bool = false) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
    }

    public init(_ text: String) throws(RedisError) {
        if text.hasPrefix(Self.sentinelScheme) {
            try self.init(sentinel: text)
            return
        }
        let secure = text.hasPrefix("rediss://")
        guard secure || text.hasPrefix("redis://") else { throw .invalidURL("\(text) does not start with redis:// or rediss://") }
        var rest = Substring(text.dropFirst(secure ? "rediss://".count : "redis://".count))
        self.init(tls: secure)
        takeCredentials(from: &rest)
        if let slash = rest.firstIndex(of: "/") {
            let db = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !db.isEmpty {
                guard let number = Int(db), number >= 0 else { throw .invalidURL("database must be a number, got \(db)") }
                database = number
            }
        }
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .invalidURL("unterminated IPv6 address") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { port = try Self.port(rest.dropFirst()) }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            port = try Self.port(rest[rest.index(after: colon)...])
        } else {
            host = String(rest)
        }
        guard !host.isEmpty else { throw .invalidURL("missing host") }
    }

    /// Takes `[user:]password@` off the front of `rest` (the last `@` ends it), percent-decoded.
    private mutating func takeCredentials(from rest: inout Substring) {
        guard let at = rest.lastIndex(of: "@") else { return }
        let credentials = rest[..<at]
        rest = rest[rest.index(after: at)...]
        if let colon = credentials.firstIndex(of: ":") {
            let user = String(credentials[..<colon])
            username = user.isEmpty ? nil : Self.percentDecoded(user)
            password = Self.percentDecoded(String(credentials[credentials.index(after: colon)...]))
        } else if !credentials.isEmpty {
            password = Self.percentDecoded(String(credentials))
        }
    }

    private static let sentinelScheme = "redis+sentinel://"

    private init(sentinel text: String) throws(RedisError) {
        self.init()
        var rest = Substring(text.dropFirst(Self.sentinelScheme.count))
        takeCredentials(from: &rest)
        guard let slash = rest.firstIndex(of: "/") else { throw .invalidURL("redis+sentinel:// needs /mastername after the sentinels") }
        let path = rest[rest.index(after: slash)...].split(separator: "/", omittingEmptySubsequences: false)
        guard let name = path.first, !name.isEmpty, path.count <= 2 else { throw .invalidURL("redis+sentinel:// needs /mastername[/db]") }
        masterName = String(name)
        if path.count == 2, !path[1].isEmpty {
            guard let number = Int(path[1]), number >= 0 else { throw .invalidURL("database must be a number, got \(path[1])") }
            database = number
        }
        for item in rest[..<slash].split(separator: ",") {
            guard let colon = item.lastIndex(of: ":") else {
                sentinels.append(Endpoint(host: String(item), port: 26379))
                continue
            }
            var host = item[..<colon]
            if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
            guard !host.isEmpty else { throw .invalidURL("missing sentinel host in \(item)") }
            sentinels.append(Endpoint(host: String(host), port: try Self.port(item[item.index(after: colon)...])))
        }
        guard sentinels.count <= 16 else { throw .invalidURL("at most 16 sentinels") }
        guard let first = sentinels.first else { throw .invalidURL("redis+sentinel:// needs at least one sentinel host:port") }
        host = first.host
        port = first.port
    }

    private static func port(_ text: Substring) throws(RedisError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else { throw .invalidURL("invalid port \(text)") }
        return port
    }

    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String {
        let auth = password == nil ? "" : "\(username ?? ""):***@"
        if let masterName, usesSentinel {
            let hosts = sentinels.map { ($0.host.contains(":") ? "[\($0.host)]" : $0.host) + ":\($0.port)" }.joined(separator: ",")
            return "redis+sentinel://\(auth)\(hosts)/\(masterName)/\(database)"
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return (tls ? "rediss://" : "redis://") + "\(auth)\(shownHost):\(port)/\(database)"
    }
}
