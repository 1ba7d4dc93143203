/// Why a connection must be failed, with the close code to send (RFC 6455 section 7.4.1).
public struct WebSocketViolation: Error, Sendable, Equatable {
    public var code: UInt16
    public var reason: String

    public init(_ code: UInt16, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}
