import Codecs
/// The private key of a caller: secp256k1 or Ed25519 (SPEC section 3).
public enum CallerPrivateKey: Sendable {
    case secp256k1(PrivateKey)
    case ed25519(Ed25519PrivateKey)

    /// The prefix of an Ed25519 key file's text (`circles keygen --ed25519`), so that nothing reads the
    /// seed as a secp256k1 key by mistake.
    public static let ed25519Prefix = "ed25519:"

    /// From the hex of 32 secret bytes: a secp256k1 private key, or an Ed25519 seed when `ed25519` or
    /// when the text starts with `ed25519:`.
    public init(hex: String, ed25519: Bool) throws(IdentityError) {
        var text = hex.trimmingWhitespace()
        let prefixed = text.hasPrefix(Self.ed25519Prefix)
        if prefixed { text.removeFirst(Self.ed25519Prefix.count) }
        if ed25519 || prefixed {
            guard let seed = Hex.decode(text), seed.count == 32 else { throw .invalidPrivateKey("an Ed25519 seed is 64 hex characters") }
            self = .ed25519(try Ed25519PrivateKey(seed: seed))
        } else {
            self = .secp256k1(try PrivateKey(hex: text))
        }
    }

    public var publicKey: CallerKey {
        switch self {
        case .secp256k1(let key): .secp256k1(key.publicKey)
        case .ed25519(let key): .ed25519(key.publicKey)
        }
    }

    /// The secret's hex.
    public var hex: String {
        switch self {
        case .secp256k1(let key): key.hex
        case .ed25519(let key): Hex.encode(key.seed)
        }
    }

    /// What a key file holds: the hex, after `ed25519:` for an Ed25519 seed.
    public var fileText: String {
        switch self {
        case .secp256k1: hex
        case .ed25519: Self.ed25519Prefix + hex
        }
    }
}
