import Transport

/// What every request to a node must show before any route runs (SPEC section 4, issue 16):
/// - on a loopback bind, a `Host` that names the node (`localhost`, `127.0.0.1`, `[::1]` or the bound
///   address, with the node's port when one is given), else 421: a page that rebinds its own name to
///   127.0.0.1 reaches nothing (not even `/health`'s list of circles);
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
    let scheme: String
    /// The node's port, once bound.
    let port: @Sendable () -> Int?

    init(bindHost: String, tls: Bool, allowedOrigins: [String], port: @escaping @Sendable () -> Int?) {
        self.allowedOrigins = Set(allowedOrigins.map(Self.normalisedOrigin))
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
        if let names, let host {
            let (name, hostPort) = Self.split(host)
            let portMatches = hostPort.map { given in port().map { $0 == given } ?? true } ?? true
            guard names.contains(name), portMatches else {
                return .text(421, "this node answers to \(names.sorted().joined(separator: ", ")) only, not \(host)")
            }
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

    /// Lowercase, without a trailing slash.
    static func normalisedOrigin(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
