import CirclesCore

/// A message a signer signed, verified against the key it is registered under.
public struct SignedMessage: Sendable, Equatable {
    /// The message, as sent to the signer (and echoed back by it).
    public var message: [UInt8]
    /// For secp256k1 the 64-byte compact ECDSA signature over SHA-256(message); for Ed25519 the 64-byte
    /// signature over the message.
    public var signature: [UInt8]
    /// The key that signed.
    public var publicKey: SignerKey

    public init(message: [UInt8], signature: [UInt8], publicKey: SignerKey) {
        self.message = message
        self.signature = signature
        self.publicKey = publicKey
    }
}
