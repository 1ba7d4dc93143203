/// Why `SigningService.sendToSign` did not return a verified signature.
package enum SigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No signer with a verified connection is registered for the key.
    case connectionNotFound
    /// The signer did not answer within the timeout.
    case timeout
    /// The signer answered with a signature that is not the key's signature of the message (or not
    /// base64, or for another message than the one sent).
    case invalidSignature
    /// The signer's connection closed (or was replaced by a newer one) before it answered.
    case channelClosed
    /// The task waiting for the answer was cancelled.
    case cancelled
    /// The signer already has `maxPendingPerSigner` requests waiting for its answers.
    case signerBusy

    package var description: String {
        switch self {
        case .connectionNotFound: "no signer is connected for this key"
        case .timeout: "the signer did not answer in time"
        case .invalidSignature: "the signer's signature is not valid for this key and message"
        case .channelClosed: "the signer's connection closed before it answered"
        case .cancelled: "the request was cancelled"
        case .signerBusy: "the signer has too many requests waiting; try again later"
        }
    }

    /// Every case, to read a code back.
    static let all: [SigningError] = [.connectionNotFound, .timeout, .invalidSignature, .channelClosed, .cancelled, .signerBusy]

    /// The snake_case code used in JSON error bodies.
    var code: String {
        switch self {
        case .connectionNotFound: "connection_not_found"
        case .timeout: "timeout"
        case .invalidSignature: "invalid_signature"
        case .channelClosed: "channel_closed"
        case .cancelled: "cancelled"
        case .signerBusy: "signer_busy"
        }
    }

    /// The status `POST /api/sign` answers with.
    var httpStatus: Int {
        switch self {
        case .connectionNotFound: 404
        case .timeout: 504
        case .invalidSignature, .channelClosed: 422
        case .cancelled: 503
        case .signerBusy: 429
        }
    }
}
