import CirclesCore
import Supervision
import Transport

extension NodeRuntime {
    /// `GET /health`: status, version, uptime, connections, sessions, Redis, queue depths and the
    /// supervisor tree with restart counts; 503 when the tree is not running or Redis does not answer.
    func health() async -> HTTPResponse {
        let tree = root.current?.snapshot()
        let redisUp = await redisAnswers()
        let sampled = await queueDepths()
        var depths = JSONObject()
        for (key, depth) in sampled ?? [:] { depths[key] = .int(Int64(depth)) }
        let accepting = server.current != nil
        let healthy = tree?.state == .running && redisUp != false
        let body: JSON = [
            "status": .string(accepting && healthy ? "ok" : "degraded"),
            "version": .string(CirclesVersion.current),
            "uptime_seconds": .double((ProcessMetrics.uptime * 1000).rounded() / 1000),
            "redis": redisUp.map { .string($0 ? "ok" : "unreachable") } ?? .string("unused"),
            "accepting": .bool(accepting),
            "circles": .array(circles.values.sorted { $0.name < $1.name }.map { ["name": .string($0.name), "public_key": .string($0.publicKey)] }),
            "connections": .int(Int64(server.current?.connectionCount ?? 0)),
            "sessions": .int(Int64(live.count)),
            "queue": .string(redis == nil ? "embedded" : "redis"),
            "queue_depth": sampled == nil ? .string("unknown") : .object(depths),
            "restarts": .int(Int64(tree.map(Self.restarts) ?? 0)),
            "supervisor": tree.map(Self.json) ?? .null,
        ]
        return .json(healthy ? 200 : 503, body.serialized)
    }

    /// `GET /metrics`: the Prometheus text exposition.
    func prometheus() async -> HTTPResponse {
        var text = metrics.registry.exposition()
        // Sampled in one pipeline; when Redis does not answer, no depth is made up: the depths are left
        // out and circles_queue_depth_unknown says so.
        let depths = await queueDepths()
        text += "# HELP circles_queue_depth Tasks waiting in a circle's queue.\n# TYPE circles_queue_depth gauge\n"
        for (key, depth) in (depths ?? [:]).sorted(by: { $0.key < $1.key }) { text += "circles_queue_depth{circle=\"\(key)\"} \(depth)\n" }
        text += "# HELP circles_queue_depth_unknown 1 when the queue depths could not be read (Redis unreachable).\n"
        text += "# TYPE circles_queue_depth_unknown gauge\ncircles_queue_depth_unknown \(depths == nil ? 1 : 0)\n"
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], body: Array(text.utf8))
    }

    /// Gauges read at every scrape.
    func registerGauges() {
        let (live, server, root) = (self.live, self.server, self.root)
        metrics.registry.gauge("circles_sessions", help: "Open WebSocket sessions.") { Double(live.count) }
        metrics.registry.gauge("circles_connections", help: "Open HTTP and WebSocket connections.") {
            Double(server.current?.connectionCount ?? 0)
        }
        ProcessMetrics.register(in: metrics.registry)
        let share = metrics.workerShare
        for circle in circles.keys.sorted() {
            metrics.registry.gauge("circles_worker_running", help: "This node's worker slots running each circle's tasks now.",
                                   labels: [("circle", circle)]) { Double(share.running(circle)) }
            metrics.registry.counter("circles_worker_seconds_total",
                                     help: "Worker seconds each circle's tasks took on this node (its share: the rate over the slots).",
                                     labels: [("circle", circle)], reading: { share.seconds(circle) })
        }
        let tally = MonotonicTally()
        metrics.registry.counter("circles_supervisor_restarts_total", help: "Restarts in the node's supervisor tree since start.", reading: {
            Double(tally.total(after: root.current.map { Self.restarts($0.snapshot()) } ?? 0))
        })
    }

    static func restarts(_ tree: SupervisorSnapshot) -> Int {
        tree.restarts + tree.children.reduce(0) { $0 + ($1.subtree.map(restarts) ?? 0) }
    }

    static func json(_ tree: SupervisorSnapshot) -> JSON {
        [
            "id": .string(tree.id),
            "strategy": .string(tree.strategy),
            "state": .string(tree.state.rawValue),
            "restarts": .int(Int64(tree.restarts)),
            "children": .array(tree.children.map { child in
                var object: JSONObject = [
                    "id": .string(child.id),
                    "kind": .string("\(child.kind)"),
                    "restart": .string("\(child.restart)"),
                    "state": .string(child.state.rawValue),
                    "restarts": .int(Int64(child.restarts)),
                ]
                if let depth = child.mailboxDepth { object["mailbox_depth"] = .int(Int64(depth)) }
                if let subtree = child.subtree { object["subtree"] = json(subtree) }
                return .object(object)
            }),
        ]
    }
}
