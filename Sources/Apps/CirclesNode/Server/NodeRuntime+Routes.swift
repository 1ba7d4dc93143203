import Actors
import Transport
#if canImport(Glibc)
import Glibc
#endif

extension NodeRuntime {
    func makeServer() throws(TransportError) -> HTTPServer {
        var configuration = HTTPServerConfiguration(host: options.host, port: options.port)
        configuration.maxConnections = options.maxConnections
        configuration.maxConnectionsPerIP = options.maxConnectionsPerIP
        configuration.tls = options.tls
        let metrics = self.metrics
        configuration.onConnectionRefused = { limit in
            (limit == "per_ip" ? metrics.connectionsRefusedPerIP : metrics.connectionsRefusedTotal).increment()
        }
        configuration.onAcceptError = { code in
            (code == EMFILE || code == ENFILE ? metrics.acceptErrorsFdLimit : metrics.acceptErrorsOther).increment()
        }
        let logger = self.logger
        configuration.onTLSFailure = { peer, error in logger.info("TLS with \(peer) failed: \(error)") }
        // The access log: one line per answered request, at debug.
        configuration.onResponse = { request, status, bytes in
            logger.debug("\(request.method) \(request.path) \(status)", metadata: [
                "peer": "\(request.peerHost)", "method": "\(request.method)", "path": "\(request.path)",
                "status": "\(status)", "bytes": "\(bytes)", "user_agent": "\(request.header("User-Agent") ?? "")",
            ])
        }
        return try HTTPServer(configuration: configuration, router: makeRouter(), group: group)
    }

    /// Every route first checks the request's Host, Origin and body type (`RequestAdmission`).
    /// `/health`, `/metrics` and the extra routes first: the WebSocket route `/{circle_pk}` matches
    /// any single segment.
    func makeRouter() -> HTTPRouter {
        var router = HTTPRouter()
        let server = self.server
        let admission = RequestAdmission(bindHost: options.host, tls: options.tls != nil, allowedOrigins: options.allowedOrigins,
                                         publicHosts: options.publicHosts) {
            server.current?.port
        }
        router.admission = { admission.check($0) }
        router.add("GET", "/health") { _ in await health() }
        router.add("GET", "/health/live") { _ in liveness() }
        router.add("GET", "/health/ready") { _ in await readiness() }
        router.add("GET", "/metrics") { _ in await prometheus() }
        let webhooks = WebhookEndpoint(runtime: self, clock: EmbeddedTaskQueue.wallClock)
        router.add("POST", "/webhooks/{provider}/{circle_pk}", bodyLimit: options.webhookBodyLimit) { await webhooks.handle($0) }
        for install in options.routes { install(&router) }
        WebAssets.install(into: &router)
        router.webSocket("/{circle_pk}", configuration: options.webSocket) { request, connection in
            accept(request, connection)
        }
        return router
    }

    /// One session actor per connection, started under the sessions' dynamic supervisor; frames reach
    /// it as messages, in order.
    func accept(_ request: HTTPRequest, _ connection: WebSocketConnection) -> WebSocketAcceptance {
        guard let key = request.parameters["circle_pk"], let circle = circle(key) else {
            return .refuse(.text(404, "unknown circle: \(request.parameters["circle_pk"] ?? "")"))
        }
        guard let supervisor = sessions.current, server.current != nil else {
            return .refuse(.text(503, "the node is not accepting sessions"))
        }
        let id = live.makeId()
        let (logger, peer, opened) = (self.logger, request.peerHost, LiveSessions.now())
        var sessionSettings = SessionSettings(circle: circle.publicKey, authRequired: options.authRequired, playTimeout: options.playTimeout,
                                              maxInFlight: options.maxInFlightPerSession)
        sessionSettings.host = request.header("Host")
        // On a loopback bind the admission lets the loopback names in too, and only those or the public ones.
        if !RequestAdmission.isLoopback(options.host.lowercased()) {
            sessionSettings.publicHosts = Set(options.publicHosts.map { $0.lowercased() })
        }
        sessionSettings.requireBoundAuth = options.requireBoundAuth || circle.requireBoundAuth
        sessionSettings.callers = callers
        sessionSettings.logger = logger
        let settings = sessionSettings
        let loop = connection.tcp.loop
        let nonces = self.nonces[group.loops.firstIndex { $0 === loop } ?? 0]
        let (output, queue, metrics) = (WebSocketSessionOutput(connection: connection), self.queue, self.metrics)
        // The session runs on its connection's event loop: a frame reaches it, and its reply leaves,
        // without a thread switch.
        let session = system.prepare("session-\(id)", mailbox: MailboxOptions(capacity: options.sessionMailbox),
                                     executor: loop) {
            CircleSession(connection: id, settings: settings, output: output, nonces: nonces, queue: queue, metrics: metrics)
        }
        let entry = LiveSessions.Entry(session: session, connection: connection)
        let activity = entry.activity
        live.add(id, entry)
        let live = self.live
        Task {
            do {
                try await supervisor.startChild(.actor("session-\(id)", session, restart: .temporary))
            } catch {
                live.remove(id)
                connection.close(code: WebSocketCloseCode.tryAgainLater, reason: "too many sessions; try again later")
            }
        }
        return .accept { event in
            switch event {
            case .text(let text):
                activity.lastFrame.store(LiveSessions.now(), ordering: .relaxed)
                switch session.tell(.frame(text)) {
                case .full:
                    connection.close(code: WebSocketCloseCode.policyViolation, reason: "too many messages waiting; slow down")
                case .stopped:
                    connection.close(code: WebSocketCloseCode.internalError, reason: "the session ended")
                case .enqueued, .enqueuedDroppingOldest:
                    break
                }
            case .binary:
                connection.close(code: WebSocketCloseCode.unsupportedData, reason: "binary frames are not supported; send JSON-RPC text")
            case .closed:
                live.remove(id)
                Task { _ = await session.send(.closed) }
                logger.debug("session \(id) closed", metadata: [
                    "circle": "\(circle.publicKey)", "session": "\(id)", "peer": "\(peer)",
                    "seconds": "\(Double(LiveSessions.now() - opened) / 1000)",
                ])
            }
        }
    }
}
