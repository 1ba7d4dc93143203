import CirclesCore

/// Why a `CircleSigner` did not get registered.
public enum CircleSignerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The WebSocket connection could not be opened (bad URL, refused, handshake failed).
    case connectFailed(String)
    /// The service answered the introduction or the challenge with an error (for example
    /// `challenge_failed`).
    case rejected(SigningProtocolError)
    /// The connection closed before the service registered the signer.
    case closed(code: UInt16, reason: String)
    /// No registration within the timeout.
    case timedOut

    public var description: String {
        switch self {
        case .connectFailed(let detail): "cannot connect: \(detail)"
        case .rejected(let error): "the signing service refused: \(error)"
        case .closed(let code, let reason): "the connection closed before registration (\(code)\(reason.isEmpty ? "" : ": \(reason)"))"
        case .timedOut: "not registered in time"
        }
    }
}
