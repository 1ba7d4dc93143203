import Transport

/// A session's replies written to its WebSocket connection.
struct WebSocketSessionOutput: SessionOutput {
    let connection: WebSocketConnection

    func send(text: String) { connection.send(text: text) }
    func close(code: UInt16, reason: String) { connection.close(code: code, reason: reason) }
}
