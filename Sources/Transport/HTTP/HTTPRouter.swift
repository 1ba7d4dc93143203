/// Routes by method and path; `{name}` segments capture path parameters
/// (`/{circle_pk}`, `/webhooks/{provider}/{circle_pk}`).
public struct HTTPRouter: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse
    /// Decides on a protocol upgrade, on the connection's loop thread.
    public typealias Upgrade = @Sendable (HTTPRequest, TCPConnection) -> UpgradeDecision

    /// The answer to an upgrade request.
    public enum UpgradeDecision {
        /// Sends `response` (101) and hands the connection's bytes to `handler` from then on.
        case switchProtocols(HTTPResponse, any ConnectionHandler)
        /// Sends `response` and closes.
        case refuse(HTTPResponse)
    }

    enum Action: Sendable {
        case handle(Handler)
        case upgrade(Upgrade)
    }

    struct Route: Sendable {
        var method: String
        var segments: [Substring]
        var bodyLimit: Int
        var action: Action
    }

    enum Match {
        case found(Route, [String: String])
        case methodNotAllowed([String])
        case notFound
    }

    private var routes: [Route] = []

    /// Checked before every route added after it is set (handlers and upgrades alike): a response
    /// refuses the request with it (an upgrade is refused before the handshake), nil lets it through.
    public var admission: (@Sendable (HTTPRequest) -> HTTPResponse?)?

    public init() {}

    /// Adds a handler for `method` on `pattern`; bodies over `bodyLimit` bytes get 413.
    public mutating func add(_ method: String, _ pattern: String, bodyLimit: Int = 1 << 20, _ handler: @escaping Handler) {
        let action: Action
        if let admission {
            action = .handle { request in if let refusal = admission(request) { refusal } else { await handler(request) } }
        } else {
            action = .handle(handler)
        }
        routes.append(Route(method: method, segments: Self.segments(pattern), bodyLimit: bodyLimit, action: action))
    }

    /// Adds a GET route that may switch protocols (WebSocket).
    public mutating func upgrade(_ pattern: String, _ upgrade: @escaping Upgrade) {
        let action: Action
        if let admission {
            action = .upgrade { request, connection in
                if let refusal = admission(request) { .refuse(refusal) } else { upgrade(request, connection) }
            }
        } else {
            action = .upgrade(upgrade)
        }
        routes.append(Route(method: "GET", segments: Self.segments(pattern), bodyLimit: 0, action: action))
    }

    func match(method: String, path: String) -> Match {
        let parts = Self.segments(path)
        var allowed: [String] = []
        for route in routes where route.segments.count == parts.count {
            var parameters: [String: String] = [:]
            var matches = true
            for (pattern, part) in zip(route.segments, parts) {
                if pattern.hasPrefix("{"), pattern.hasSuffix("}") {
                    guard !part.isEmpty else {
                        matches = false
                        break
                    }
                    parameters[String(pattern.dropFirst().dropLast())] = String(part)
                } else if pattern != part {
                    matches = false
                    break
                }
            }
            guard matches else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") { return .found(route, parameters) }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }

    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }
}
