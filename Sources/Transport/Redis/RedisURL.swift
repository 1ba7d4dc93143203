/// `redis://[user[:password]@]host[:port][/db]`, or `rediss://…` for TLS, or
/// `redis+sentinel://[[user:]password@]host:port[,host:port…]/mastername[/db][?sentinel_password=P&sentinel_username=U]`
/// for the master that Redis Sentinel names: the password before `@` is the master's, the sentinels
/// get `sentinel_password` (percent-encoded; without it they are asked without one).
/// `rediss+sentinel://…` speaks TLS to the sentinels and to the master.
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
    /// What the sentinels are asked with (`sentinel_username`, `sentinel_password`).
    public var sentinelUsername: String?
    public var sentinelPassword: String?

    /// Whether the server is found through Sentinel.
    public var usesSentinel: Bool { !sentinels.isEmpty }

    /// How to reach `sentinel`: with the sentinels' credentials, and TLS when the master speaks it.
    public func sentinelURL(_ sentinel: Endpoint) -> RedisURL {
        RedisURL(host: sentinel.host, port: sentinel.port, username: sentinelUsername, password: sentinelPassword, tls: tls)
    }

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
        if text.hasPrefix(Self.sentinelScheme) || text.hasPrefix(Self.secureSentinelScheme) {
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
    private static let secureSentinelScheme = "rediss+sentinel://"
    /// The query options of a sentinel URL.
    static let sentinelOptions = ["sentinel_password", "sentinel_username"]

    private init(sentinel text: String) throws(RedisError) {
        let secure = text.hasPrefix(Self.secureSentinelScheme)
        self.init(tls: secure)
        var rest = Substring(text.dropFirst(secure ? Self.secureSentinelScheme.count : Self.sentinelScheme.count))
        // The query starts at the first `?` of the path (a password may hold `?`).
        let hosts = rest.lastIndex(of: "@") ?? rest.startIndex
        if let slash = rest[hosts...].firstIndex(of: "/"), let question = rest[slash...].firstIndex(of: "?") {
            try takeSentinelOptions(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
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

    /// `sentinel_password=P&sentinel_username=U` (percent-encoded); anything else is an error.
    private mutating func takeSentinelOptions(_ query: Substring) throws(RedisError) {
        guard query.utf8.count <= 4096 else { throw .invalidURL("the query of a sentinel URL is over 4096 bytes") }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]), value = parts.count == 2 ? Self.percentDecoded(String(parts[1])) : ""
            switch name {
            case "sentinel_password": sentinelPassword = value
            case "sentinel_username": sentinelUsername = value.isEmpty ? nil : value
            default:
                throw .invalidURL("unknown option \(name) in a sentinel URL (known: \(Self.sentinelOptions.joined(separator: ", ")))")
            }
        }
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
            var options: [String] = []
            if let sentinelUsername { options.append("sentinel_username=\(sentinelUsername)") }
            if sentinelPassword != nil { options.append("sentinel_password=***") }
            let query = options.isEmpty ? "" : "?" + options.joined(separator: "&")
            return (tls ? "rediss+sentinel://" : "redis+sentinel://") + "\(auth)\(hosts)/\(masterName)/\(database)\(query)"
        }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return (tls ? "rediss://" : "redis://") + "\(auth)\(shownHost):\(port)/\(database)"
    }
}
