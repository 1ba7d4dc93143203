import DequeModule

/// One HTTP connection on its loop: parses, dispatches one request at a time (answers stay in
/// order), applies the head and idle timeouts, and hands the connection over on an upgrade. A request
/// head must arrive whole within `headTimeout` of its first byte; while a body arrives, each piece
/// of it must follow the last within `headTimeout`.
///
/// Pipelining is bounded: at most `maxPipelinedRequests` parsed requests wait for their turn; past
/// that the rest stays unparsed in the parser's buffer and the connection stops reading until the
/// answers catch up (a peer that sends without reading is held back by TCP, not by our memory).
/// Likewise the next request waits while more than `maxUnsentResponseBytes` of answers do; a peer
/// that takes none of them for `idleTimeout` is cut off.
final class HTTPConnectionHandler: ConnectionHandler {
    private let server: HTTPServer
    private let connection: TCPConnection
    private var parser: HTTPParser
    private var waiting = Deque<HTTPRequest>()
    private var busy = false
    private var timer: UInt64?
    /// The protocol the connection switched to; it receives everything from then on.
    private var upgraded: (any ConnectionHandler)?
    private var closing = false
    private var inputDone = false
    /// Reading is paused because `maxPipelinedRequests` requests wait.
    private var pipelineFull = false
    /// Set while `next` dispatches, so that an answer given at once does not recurse into it.
    private var dispatching = false
    /// The next request waits until the answers the kernel refused have been sent.
    private var awaitingDrain = false

    init(server: HTTPServer, connection: TCPConnection) {
        self.server = server
        self.connection = connection
        parser = HTTPParser(maxHeadBytes: server.configuration.maxHeadBytes, maxHeaderCount: server.configuration.maxHeaderCount)
        armTimer(server.configuration.headTimeout)
    }

    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
        if let upgraded { return upgraded.received(bytes, on: connection) }
        guard !closing else { return }
        let wasInRequest = parser.inRequest
        guard parse(bytes) else { return }
        if parser.inRequest, !busy, waiting.isEmpty {
            // A head has one deadline from its first byte (trickling it does not push that back);
            // a body gets the same time again after each piece of it.
            if parser.receivingBody || !wasInRequest || timer == nil { armTimer(server.configuration.headTimeout) }
        }
        next()
    }

    /// Feeds the parser (`bytes` may be empty: what it still buffers) and queues the requests, up to
    /// the pipelining bound; pauses or resumes reading accordingly. False after a failure.
    private func parse(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let router = server.router
        // Bytes may still arrive while the queue is full (the rest of one TLS read): they are kept unparsed.
        let room = max(0, server.configuration.maxPipelinedRequests - waiting.count)
        let events = parser.feed(bytes, maxRequests: room) { head in
            if case .found(let route, _) = router.match(method: head.method, path: head.path) { return route.bodyLimit }
            return 1 << 20
        }
        for event in events {
            switch event {
            case .request(var request):
                request.peerHost = connection.peerHost
                waiting.append(request)
            case .failure(let status, let reason):
                fail(status, reason)
                return false
            }
        }
        if events.count >= room {
            pauseForPipeline()
        } else if pipelineFull {
            pipelineFull = false
            connection.resumeReading()
        }
        return true
    }

    private func pauseForPipeline() {
        guard !pipelineFull else { return }
        pipelineFull = true
        connection.pauseReading()
    }

    func inputEnded(_ connection: TCPConnection) {
        if let upgraded { return upgraded.inputEnded(connection) }
        inputDone = true
        if !busy, waiting.isEmpty { closeGracefully() }
    }

    func writable(_ connection: TCPConnection) {
        if let upgraded { return upgraded.writable(connection) }
        guard awaitingDrain else { return }
        awaitingDrain = false
        next()
    }

    func closed(_ connection: TCPConnection) {
        closing = true
        waiting.removeAll()
        if let timer { connection.loop.cancelTimer(timer) }
        server.release(connection.peerHost)
        if let failure = connection.tlsFailure { server.configuration.onTLSFailure?(connection.peerHost, failure) }
        if let upgraded {
            self.upgraded = nil
            upgraded.closed(connection)
        }
    }

    private func next() {
        guard !dispatching else { return }
        dispatching = true
        defer { dispatching = false }
        while !busy, !closing, !awaitingDrain, upgraded == nil, let request = waiting.popFirst() {
            // Room in the queue again: parse what the parser holds, and read on when it is all parsed.
            if pipelineFull, !parse(UnsafeRawBufferPointer(start: nil, count: 0)) { return }
            dispatch(request)
        }
    }

    private func dispatch(_ request: HTTPRequest) {
        busy = true
        if let timer { connection.loop.cancelTimer(timer) }
        timer = nil
        switch server.router.match(method: request.method, path: request.path) {
        case .notFound:
            respond(.text(404, "no route for \(request.path)"), to: request)
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.text(405, "\(request.method) is not allowed on \(request.path)")
            response.headers.append(("Allow", allowed.joined(separator: ", ")))
            respond(response, to: request)
        case .found(let route, let parameters):
            var request = request
            request.parameters = parameters
            switch route.action {
            case .handle(let handler):
                let loop = connection.loop
                let box = UncheckedHandler(self)
                let routed = request
                Task {
                    let response = await handler(routed)
                    loop.perform { box.handler.respond(response, to: routed) }
                }
            case .upgrade(let upgrade):
                switch upgrade(request, connection) {
                case .refuse(let response):
                    respond(response, to: request)
                case .switchProtocols(let response, let handler):
                    connection.write(response.encoded(keepAlive: true))
                    server.configuration.onResponse?(request, response.status, 0)
                    upgraded = handler
                    if pipelineFull {
                        pipelineFull = false
                        connection.resumeReading()
                    }
                    let leftover = parser.leftover
                    parser = HTTPParser(maxHeadBytes: 0)
                    if !leftover.isEmpty { leftover.withUnsafeBytes { handler.received($0, on: connection) } }
                    if inputDone { handler.inputEnded(connection) }
                }
            }
        }
    }

    private func closeGracefully() {
        closing = true
        connection.close()
    }

    private func respond(_ response: HTTPResponse, to request: HTTPRequest) {
        guard !closing, connection.isOpen else { return }
        // After a refused upgrade the rest of the stream is not HTTP: answer and close.
        let keepAlive = request.keepAlive && response.status < 500 && !parser.stopped
        let bytes = response.encoded(keepAlive: keepAlive)
        connection.write(request.method == "HEAD" ? Array(bytes.dropLast(response.body.count)) : bytes)
        server.configuration.onResponse?(request, response.status, response.body.count)
        busy = false
        if !keepAlive {
            closing = true
            connection.close()
            return
        }
        if waiting.isEmpty {
            if inputDone { return closeGracefully() }
            armTimer(parser.inRequest ? server.configuration.headTimeout : server.configuration.idleTimeout)
        }
        if connection.pendingBytes > server.configuration.maxUnsentResponseBytes {
            connection.uncork()
            if connection.pendingBytes > server.configuration.maxUnsentResponseBytes {
                awaitingDrain = true
                armTimer(server.configuration.idleTimeout)
                return
            }
        }
        next()
    }

    private func fail(_ status: Int, _ reason: String) {
        closing = true
        connection.write(HTTPResponse.text(status, reason).encoded(keepAlive: false))
        connection.close()
    }

    private func armTimer(_ seconds: Double) {
        if let timer { connection.loop.cancelTimer(timer) }
        let box = UncheckedHandler(self)
        timer = connection.loop.schedule(after: seconds) {
            let handler = box.handler
            handler.timer = nil
            guard !handler.busy, !handler.closing else { return }
            if handler.awaitingDrain {
                // Its answers would never leave: nothing to flush first.
                handler.closing = true
                return handler.connection.closeNow()
            }
            if handler.parser.inRequest {
                handler.fail(408, "request not received in time")
            } else {
                handler.closing = true
                handler.connection.close()
            }
        }
    }
}

/// Carries the loop-confined handler through a Sendable closure back to its own loop.
private struct UncheckedHandler: @unchecked Sendable {
    let handler: HTTPConnectionHandler
    init(_ handler: HTTPConnectionHandler) { self.handler = handler }
}
