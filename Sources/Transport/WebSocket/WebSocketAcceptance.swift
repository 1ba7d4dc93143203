/// A server application's answer to a valid WebSocket handshake.
public enum WebSocketAcceptance: Sendable {
    /// Accepts; events of the connection go to the handler, on the loop thread, in order.
    case accept(WebSocketConnection.EventHandler)
    /// Refuses with this response (for example 404 for an unknown circle).
    case refuse(HTTPResponse)
}
