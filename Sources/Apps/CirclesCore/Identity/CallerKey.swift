import Codecs
/// A caller's public key (SPEC section 3): secp256k1 (the hex of 33 compressed or 65 uncompressed
/// bytes, shown compressed) or Ed25519 (the hex of 32 bytes), told apart by length. `hex`, lowercase,
/// is the caller's id (`CALLER_PUBLIC_KEY`, `whoami`, allow-lists).
public enum CallerKey: Sendable, Hashable, CustomStringConvertible {
    case secp256k1(PublicKey)
    case ed25519(Ed25519PublicKey)

    public init(hex: String) throws(IdentityError) {
        guard let bytes = Hex.decode(hex) else { throw .invalidPublicKey("not hex") }
        switch bytes.count {
        case 32: self = .ed25519(try Ed25519PublicKey(bytes: bytes))
        case 33, 65: self = .secp256k1(try PublicKey(bytes: bytes))
        default:
            throw .invalidPublicKey("a caller key is 32 bytes (Ed25519, 64 hex characters) or 33 or 65 bytes (secp256k1, 66 or 130), got \(bytes.count)")
        }
    }

    /// Lowercase hex: the compressed form for secp256k1, the 32 bytes for Ed25519.
    public var hex: String {
        switch self {
        case .secp256k1(let key): key.hex
        case .ed25519(let key): key.hex
        }
    }

    public var description: String { hex }

    /// Checks `signatureHex` over `message` by SPEC section 3.1: for secp256k1 any scheme `Signatures`
    /// accepts; for Ed25519 the 64-byte signature over the message itself.
    public func verify(signatureHex: String, message: [UInt8]) throws(IdentityError) {
        switch self {
        case .secp256k1(let key):
            try Signatures.verify(signatureHex: signatureHex, message: message, publicKey: key)
        case .ed25519(let key):
            guard let signature = Hex.decode(signatureHex) else { throw .invalidSignature("not hex") }
            guard signature.count == 64 else { throw .invalidSignature("an Ed25519 signature has 64 bytes, got \(signature.count)") }
            guard key.verify(signature: signature, message: message) else {
                throw .invalidSignature("does not verify for this key and message")
            }
        }
    }
}
