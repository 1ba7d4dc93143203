/// Where a session's replies go: its WebSocket connection (or a recorder in tests).
package protocol SessionOutput: Sendable {
    func send(text: String)
    /// Closes the connection with a WebSocket close code (1008 after failed authentication).
    func close(code: UInt16, reason: String)
}
