import Transport

/// One WebSocket connection of a client. Calls remember the link they went out on, so replies and
/// closes are matched to the right connection across reconnects.
final class Link: Sendable {
    let id: Int
    let connection: WebSocketConnection

    init(id: Int, connection: WebSocketConnection) {
        self.id = id
        self.connection = connection
    }

    var loop: EventLoop { connection.tcp.loop }
}
