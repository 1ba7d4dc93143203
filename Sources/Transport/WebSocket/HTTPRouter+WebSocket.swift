extension HTTPRouter {
    /// Serves WebSocket on `pattern`: the handshake is checked (RFC 6455 section 4.2.1), then `accept`
    /// decides on the loop thread; it receives the connection so that it can keep it for replies.
    public mutating func webSocket(_ pattern: String, configuration: WebSocketConfiguration = WebSocketConfiguration(),
                                   accept: @escaping @Sendable (HTTPRequest, WebSocketConnection) -> WebSocketAcceptance) {
        upgrade(pattern) { request, tcp in
            let response = WebSocketHandshake.response(to: request)
            guard response.status == 101 else { return .refuse(response) }
            let connection = WebSocketConnection(tcp: tcp, isClient: false, configuration: configuration)
            switch accept(request, connection) {
            case .refuse(let refusal):
                return .refuse(refusal)
            case .accept(let handler):
                connection.begin(onEvent: handler)
                return .switchProtocols(response, connection)
            }
        }
    }
}
