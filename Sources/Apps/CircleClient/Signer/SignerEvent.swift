import CirclesCore

/// What a `CircleSigner` reports while connected.
public enum SignerEvent: Sendable, Equatable {
    /// The service verified the challenge: requests for `publicKey` (lowercase hex) now come here.
    case registered(publicKey: String)
    /// A request was signed and answered (the first one is the service's challenge).
    case signed(requestId: String, message: [UInt8], signature: [UInt8])
    /// The service refused something this signer sent.
    case serverError(SigningProtocolError)
}
