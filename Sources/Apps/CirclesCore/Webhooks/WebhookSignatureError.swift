/// Why a webhook's signature was refused (SPEC section 9: answered 401).
public enum WebhookSignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingHeader
    /// The header is there but cannot be read; the reason says what is wrong.
    case malformedHeader(String)
    /// The signed timestamp (Unix seconds) is further than `tolerance` seconds from now, in either direction.
    case timestampOutsideTolerance(timestamp: Int64, tolerance: Int64)
    case signatureMismatch

    public var description: String {
        switch self {
        case .missingHeader: "missing signature header"
        case .malformedHeader(let reason): "malformed signature header: \(reason)"
        case .timestampOutsideTolerance(let timestamp, let tolerance):
            "signature timestamp \(timestamp) is more than \(tolerance) s away from the current time"
        case .signatureMismatch: "signature does not match the body and the secret"
        }
    }
}
