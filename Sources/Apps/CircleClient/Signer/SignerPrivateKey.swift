import CirclesCore

/// The private key a `CircleSigner` signs with: secp256k1 (64-byte compact ECDSA over SHA-256 of the
/// message) or Ed25519 (64-byte signature over the message).
public enum SignerPrivateKey: Sendable {
    case secp256k1(PrivateKey)
    case ed25519(Ed25519PrivateKey)

    /// From the hex of 32 secret bytes (a key file's content, surrounding whitespace allowed): a
    /// secp256k1 private key, or an Ed25519 seed when `ed25519` is true.
    public init(hex: String, ed25519: Bool) throws(IdentityError) {
        let trimmed = String(hex.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        if ed25519 {
            guard let seed = Hex.decode(trimmed) else { throw .invalidPrivateKey("expected 64 hex characters") }
            self = .ed25519(try Ed25519PrivateKey(seed: seed))
        } else {
            self = .secp256k1(try PrivateKey(hex: trimmed))
        }
    }

    /// The public key a signing service registers this signer under.
    public var publicKey: SignerKey {
        switch self {
        case .secp256k1(let key): .secp256k1(key.publicKey)
        case .ed25519(let key): .ed25519(key.publicKey)
        }
    }

    /// This key's signature of `message`, in the form the signing service verifies.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        switch self {
        case .secp256k1(let key): key.signCompact(message)
        case .ed25519(let key): key.sign(message)
        }
    }
}
