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
