/// Close codes of RFC 6455 section 7.4 that this transport sends, and the rule for codes a peer may send.
public enum WebSocketCloseCode {
    public static let normal: UInt16 = 1000
    public static let goingAway: UInt16 = 1001
    public static let protocolError: UInt16 = 1002
    public static let unsupportedData: UInt16 = 1003
    /// Reported locally when the close frame had no code; never sent.
    public static let noStatus: UInt16 = 1005
    /// Reported locally when the connection dropped without a close frame; never sent.
    public static let abnormal: UInt16 = 1006
    public static let invalidPayload: UInt16 = 1007
    public static let policyViolation: UInt16 = 1008
    public static let tooBig: UInt16 = 1009
    public static let internalError: UInt16 = 1011
    /// The server is overloaded; the client may reconnect later.
    public static let tryAgainLater: UInt16 = 1013

    /// Whether a peer may put `code` in a close frame: the defined codes 1000-1003 and 1007-1014
    /// (1012-1014 are registered with IANA), and the ranges 3000-4999 for libraries and applications.
    public static func isValidOnTheWire(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }
}
