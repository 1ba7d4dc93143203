import DequeModule

/// One HTTP connection on its loop: parses, dispatches one request at a time (answers stay in
/// order), applies the head and idle timeouts, and hands the connection over on an upgrade.
final class HTTPConnectionHandler: ConnectionHandler {
    private let server: HTTPServer
    private let connection: TCPConnection
    private var parser: HTTPParser
    private var waiting = Deque<HTTPRequest>()
    private var busy = false
    private var timer: UInt64?
    private var upgraded = false
    private var closing = false
    private var inputDone = false

    init(server: HTTPServer, connection: TCPConnection) {
        self.server = server
        self.connection = connection
        parser = HTTPParser(maxHeadBytes: server.configuration.maxHeadBytes)
        armTimer(server.configuration.headTimeout)
    }

    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection) {
        guard !closing else { return }
        let router = server.router
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
        if parser.inRequest, !busy, waiting.isEmpty { armTimer(server.configuration.headTimeout) }
        next()
    }

    func inputEnded(_ connection: TCPConnection) {
        inputDone = true
        if !busy, waiting.isEmpty { closeGracefully() }
    }

    func closed(_ connection: TCPConnection) {
        closing = true
        waiting.removeAll()
        if let timer { connection.loop.cancelTimer(timer) }
        if !upgraded { server.release(connection.peerHost) }
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
                    loop.execute { box.handler.respond(response, to: routed) }
                }
            case .upgrade(let upgrade):
                let leftover = parser.leftover
                if let response = upgrade(request, connection, leftover) {
                    if response.status == 101 {
                        upgraded = true
                        server.release(connection.peerHost)
                        return
                    }
                    respond(response, to: request)
                } else {
                    respond(.text(400, "upgrade refused"), to: request)
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
        let keepAlive = request.keepAlive && response.status < 500
        let bytes = response.encoded(keepAlive: keepAlive)
        connection.write(request.method == "HEAD" ? Array(bytes.dropLast(response.body.count)) : bytes)
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
