/// The protocol above a TCP connection (HTTP, WebSocket); called on the connection's loop thread only.
public protocol ConnectionHandler: AnyObject {
    /// Bytes arrived. They are valid only during the call.
    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection)
    /// The peer sent FIN: nothing more will arrive, but replies may still be written. The default
    /// closes once what is queued has been written.
    func inputEnded(_ connection: TCPConnection)
    /// The connection is closed (by either side); called once.
    func closed(_ connection: TCPConnection)
    /// What the kernel had refused has now all been sent. The default does nothing.
    func writable(_ connection: TCPConnection)
}

extension ConnectionHandler {
    public func inputEnded(_ connection: TCPConnection) { connection.close() }
    public func writable(_ connection: TCPConnection) {}
}
