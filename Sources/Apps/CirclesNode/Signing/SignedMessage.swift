import CirclesCore

/// A message a signer signed, verified against the key it is registered under.
package struct SignedMessage: Sendable, Equatable {
    /// The message, as sent to the signer (and echoed back by it).
    package var message: [UInt8]
    /// The signature over `signedBytes` (`circles-sign:v1\n` + message): for secp256k1 the 64-byte compact
    /// ECDSA signature over their SHA-256; for Ed25519 the 64-byte signature over them.
    package var signature: [UInt8]
    /// The key that signed.
    package var publicKey: SignerKey

    /// What the signature is over: the message in the signing service's domain.
    package var signedBytes: [UInt8] { SignatureDomain.signRequest(message) }

    package init(message: [UInt8], signature: [UInt8], publicKey: SignerKey) {
        self.message = message
        self.signature = signature
        self.publicKey = publicKey
    }
}
