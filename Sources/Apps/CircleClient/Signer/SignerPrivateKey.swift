import CirclesCore

/// The private key a `CircleSigner` signs with: secp256k1 (64-byte compact ECDSA over SHA-256 of the
/// message) or Ed25519 (64-byte signature over the message).
public enum SignerPrivateKey: Sendable {
    case secp256k1(PrivateKey)
    case ed25519(Ed25519PrivateKey)

    /// From the hex of 32 secret bytes (a key file's content, surrounding whitespace allowed): a
    /// secp256k1 private key, or an Ed25519 seed when `ed25519` is true or the text starts with
    /// `ed25519:` (as `circles keygen --ed25519` writes it).
    public init(hex: String, ed25519: Bool) throws(IdentityError) {
        switch try CallerPrivateKey(hex: hex, ed25519: ed25519) {
        case .secp256k1(let key): self = .secp256k1(key)
        case .ed25519(let key): self = .ed25519(key)
        }
    }

    /// The public key a signing service registers this signer under.
    public var publicKey: SignerKey {
        switch self {
        case .secp256k1(let key): .secp256k1(key.publicKey)
        case .ed25519(let key): .ed25519(key.publicKey)
        }
    }

    /// The answer to a signing-service request for `message`: a signature over
    /// `circles-sign:v1\n` + message (SPEC 10), never over the bare message.
    public func signRequest(_ message: [UInt8]) -> [UInt8] {
        sign(SignatureDomain.signRequest(message))
    }

    /// The answer to the registration challenge of the service at `host` (its `Host`, as in the URL).
    public func signChallenge(_ challenge: [UInt8], host: String) -> [UInt8] {
        sign(SignatureDomain.registration(host: host, key: publicKey.description, challenge: challenge))
    }

    /// This key's signature of exactly `message` (secp256k1: compact ECDSA over SHA-256; Ed25519: over
    /// the message). A signer answers with `signRequest` and `signChallenge`, which put the bytes in
    /// their domain.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        switch self {
        case .secp256k1(let key): key.signCompact(message)
        case .ed25519(let key): key.sign(message)
        }
    }
}
