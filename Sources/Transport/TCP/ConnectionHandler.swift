/// The protocol above a TCP connection (HTTP, WebSocket); called on the connection's loop thread only.
public protocol ConnectionHandler: AnyObject {
    /// Bytes arrived. They are valid only during the call.
    func received(_ bytes: UnsafeRawBufferPointer, on connection: TCPConnection)
    /// The connection is closed (by either side); called once.
    func closed(_ connection: TCPConnection)
}
