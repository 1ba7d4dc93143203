import Transport

/// What every request to a node must show before any route runs (SPEC section 4, issue 16):
/// - on a loopback bind, a `Host` that names the node (`localhost`, `127.0.0.1`, `[::1]` or the bound
///   address, with the node's port when one is given), else 421: a page that rebinds its own name to
///   127.0.0.1 reaches nothing (not even `/health`'s list of circles);
/// - with public host names (`--public-host`), a `Host` that is one of them (a name alone admits any
///   port, `name:port` that port only), else 421, on any bind; on a loopback bind the loopback names
///   above are admitted too;
/// - an `Origin`, when there is one (a browser), that is the node's own or on the allow-list, else 403
///   (no `Origin`: not a browser, admitted);
/// - a `POST` body of type `application/json`, else 415 (a browser's cross-origin "simple request"
///   cannot send that type without asking first).
struct RequestAdmission: Sendable {
    /// Origins admitted besides the node's own, exactly as browsers send them (`https://app.example`);
    /// `"*"` admits every origin.
    let allowedOrigins: Set<String>
    /// The host names a loopback node answers to (lowercase, IPv6 in brackets); nil: any (not loopback).
    let names: Set<String>?
    /// The public names the node answers to (lowercase, `name` or `name:port`); empty: not checked.
    let publicHosts: Set<String>
    let scheme: String
    /// The node's port, once bound.
    let port: @Sendable () -> Int?

    init(bindHost: String, tls: Bool, allowedOrigins: [String], publicHosts: [String] = [], port: @escaping @Sendable () -> Int?) {
        self.allowedOrigins = Set(allowedOrigins.map(Self.normalisedOrigin))
        self.publicHosts = Set(publicHosts.map { $0.lowercased() })
        scheme = tls ? "https" : "http"
        self.port = port
        let host = bindHost.lowercased()
        if Self.isLoopback(host) {
            let bound = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            names = ["localhost", "127.0.0.1", "[::1]", bound]
        } else {
            names = nil
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    /// The refusal for `request`, or nil when it may go on.
    func check(_ request: HTTPRequest) -> HTTPResponse? {
        let host = request.header("Host")?.lowercased()
        if !publicHosts.isEmpty {
            guard let host, isPublic(host) || isLoopbackName(host) else {
                let shown = (publicHosts.sorted() + (names?.sorted() ?? [])).joined(separator: ", ")
                return .text(421, "this node answers to \(shown) only, not \(host ?? "a request without Host")")
            }
        } else if let names, let host, !isLoopbackName(host) {
            return .text(421, "this node answers to \(names.sorted().joined(separator: ", ")) only, not \(host)")
        }
        if let origin = request.header("Origin") {
            let normalised = Self.normalisedOrigin(origin)
            let own = host.map { "\(scheme)://\($0)" }
            guard normalised == own || isLoopbackOrigin(normalised) || allowedOrigins.contains(normalised) || allowedOrigins.contains("*") else {
                return .text(403, "origin \(origin) is not allowed (the node admits its own origin and those given with --allowed-origin)")
            }
        }
        if request.method == "POST" {
            let type = request.header("Content-Type")?.split(separator: ";").first.map { $0.filter { $0 != " " && $0 != "\t" } }?.lowercased()
            guard type == "application/json" else {
                return .json(415, #"{"error":"unsupported_media_type","message":"the body must be sent as Content-Type: application/json"}"#)
            }
        }
        return nil
    }

    func isPublic(_ host: String) -> Bool { Self.names(host, among: publicHosts) }

    /// Whether `host` (a `Host` value) is one of `publicHosts` (lowercase): by its name alone, or with its port.
    static func names(_ host: String, among publicHosts: Set<String>) -> Bool {
        let host = host.lowercased()
        return publicHosts.contains(host) || publicHosts.contains(split(host).name)
    }

    /// Whether `host` names this loopback node (its port, when given, is the node's).
    private func isLoopbackName(_ host: String) -> Bool {
        guard let names else { return false }
        let (name, hostPort) = Self.split(host)
        let portMatches = hostPort.map { given in port().map { $0 == given } ?? true } ?? true
        return names.contains(name) && portMatches
    }

    /// A page served by this loopback node under another of its names (`http://localhost:P` for a node
    /// reached as `127.0.0.1:P`).
    private func isLoopbackOrigin(_ origin: String) -> Bool {
        guard let names, origin.hasPrefix(scheme + "://") else { return false }
        let (name, given) = Self.split(String(origin.dropFirst(scheme.count + 3)))
        guard let given, let port = port() else { return false }
        return names.contains(name) && given == port
    }

    /// `name[:port]` of a Host header (IPv6 in brackets).
    static func split(_ host: String) -> (name: String, port: Int?) {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let name = String(host[...close])
            let rest = host[host.index(after: close)...]
            return (name, rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? -1 : nil)
        }
        guard let colon = host.lastIndex(of: ":") else { return (host, nil) }
        return (String(host[..<colon]), Int(host[host.index(after: colon)...]) ?? -1)
    }

    /// Whether `text` can be a `Host` value: a name or address (IPv6 in brackets), optionally `:port`.
    static func isHostValue(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 255, !text.hasPrefix(":") else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:[]")
        guard text.allSatisfy(allowed.contains) else { return false }
        let (name, port) = split(text.lowercased())
        guard !name.isEmpty, !name.contains(":") || name.hasPrefix("[") else { return false }
        return port.map { (1...65_535).contains($0) } ?? true
    }

    /// Lowercase, without a trailing slash.
    static func normalisedOrigin(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
