import CirclesCore
import Supervision
import Transport

extension NodeRuntime {
    /// `GET /health`: status, connections, sessions, queue depths and the supervisor tree with restart counts.
    func health() async -> HTTPResponse {
        let tree = root.current?.snapshot()
        var depths = JSONObject()
        for key in circles.keys.sorted() { depths[key] = .int(Int64(await queue.depth(of: key))) }
        let accepting = server.current != nil
        let body: JSON = [
            "status": .string(accepting && tree?.state == "running" ? "ok" : "degraded"),
            "accepting": .bool(accepting),
            "circles": .array(circles.values.sorted { $0.name < $1.name }.map { ["name": .string($0.name), "public_key": .string($0.publicKey)] }),
            "connections": .int(Int64(server.current?.connectionCount ?? 0)),
            "sessions": .int(Int64(live.count)),
            "queue": .string(redis == nil ? "embedded" : "redis"),
            "queue_depth": .object(depths),
            "restarts": .int(Int64(tree.map(Self.restarts) ?? 0)),
            "supervisor": tree.map(Self.json) ?? .null,
        ]
        return .json(tree?.state == "running" ? 200 : 503, body.serialized)
    }

    /// `GET /metrics`: the Prometheus text exposition.
    func prometheus() async -> HTTPResponse {
        var text = metrics.registry.exposition()
        text += "# HELP circles_queue_depth Tasks waiting in a circle's queue.\n# TYPE circles_queue_depth gauge\n"
        for key in circles.keys.sorted() { text += "circles_queue_depth{circle=\"\(key)\"} \(await queue.depth(of: key))\n" }
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], body: Array(text.utf8))
    }

    /// Gauges read at every scrape.
    func registerGauges() {
        let (live, server, root) = (self.live, self.server, self.root)
        metrics.registry.gauge("circles_sessions", help: "Open WebSocket sessions.") { Double(live.count) }
        metrics.registry.gauge("circles_connections", help: "Open HTTP and WebSocket connections.") {
            Double(server.current?.connectionCount ?? 0)
        }
        metrics.registry.gauge("circles_supervisor_restarts", help: "Restarts in the node's supervisor tree since start.") {
            Double(root.current.map { Self.restarts($0.snapshot()) } ?? 0)
        }
    }

    static func restarts(_ tree: SupervisorSnapshot) -> Int {
        tree.restarts + tree.children.reduce(0) { $0 + ($1.subtree.map(restarts) ?? 0) }
    }

    static func json(_ tree: SupervisorSnapshot) -> JSON {
        [
            "id": .string(tree.id),
            "strategy": .string(tree.strategy),
            "state": .string(tree.state),
            "restarts": .int(Int64(tree.restarts)),
            "children": .array(tree.children.map { child in
                var object: JSONObject = [
                    "id": .string(child.id),
                    "kind": .string("\(child.kind)"),
                    "restart": .string("\(child.restart)"),
                    "state": .string(child.state),
                    "restarts": .int(Int64(child.restarts)),
                ]
                if let depth = child.mailboxDepth { object["mailbox_depth"] = .int(Int64(depth)) }
                if let subtree = child.subtree { object["subtree"] = json(subtree) }
                return .object(object)
            }),
        ]
    }
}
