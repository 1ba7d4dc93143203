/// The private key of a caller: secp256k1 or Ed25519 (SPEC section 3).
public enum CallerPrivateKey: Sendable {
    case secp256k1(PrivateKey)
    case ed25519(Ed25519PrivateKey)

    /// From the hex of 32 secret bytes: a secp256k1 private key, or an Ed25519 seed when `ed25519`.
    public init(hex: String, ed25519: Bool) throws(IdentityError) {
        if ed25519 {
            guard let seed = Hex.decode(hex.trimmingWhitespace()) else { throw .invalidPrivateKey("expected 64 hex characters") }
            self = .ed25519(try Ed25519PrivateKey(seed: seed))
        } else {
            self = .secp256k1(try PrivateKey(hex: hex.trimmingWhitespace()))
        }
    }

    public var publicKey: CallerKey {
        switch self {
        case .secp256k1(let key): .secp256k1(key.publicKey)
        case .ed25519(let key): .ed25519(key.publicKey)
        }
    }

    /// The secret's hex, as a key file holds it.
    public var hex: String {
        switch self {
        case .secp256k1(let key): key.hex
        case .ed25519(let key): Hex.encode(key.seed)
        }
    }
}
