import DequeModule

/// One HTTP connection on its loop: parses, dispatches one request at a time (answers stay in
/// order), applies the head and idle timeouts, and hands the connection over on an upgrade. A request
/// head must arrive whole within `headTimeout` of its first byte; while a body arrives, each piece
/// of it must follow the last within `headTimeout`.
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

    init(server: HTTPServer, connection: TCPConnection) {
        self.server = server
        self.connection = connection
        parser = HTTPParser(maxHeadBytes: server.configuration.maxHeadBytes, maxHeaderCount: server.configuration.maxHeaderCount)
        armTimer(server.configuration.headTimeout)
    }

    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
        if let upgraded { return upgraded.received(bytes, on: connection) }
        guard !closing else { return }
        let router = server.router
        let wasInRequest = parser.inRequest
        let events = parser.feed(bytes) { head in
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
                return
            }
        }
        if parser.inRequest, !busy, waiting.isEmpty {
            // A head has one deadline from its first byte (trickling it does not push that back);
            // a body gets the same time again after each piece of it.
            if parser.receivingBody || !wasInRequest || timer == nil { armTimer(server.configuration.headTimeout) }
        }
        next()
    }

    func inputEnded(_ connection: TCPConnection) {
        if let upgraded { return upgraded.inputEnded(connection) }
        inputDone = true
        if !busy, waiting.isEmpty { closeGracefully() }
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
        guard !busy, !closing, let request = waiting.popFirst() else { return }
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
