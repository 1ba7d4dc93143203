import Codecs
/// A key the signing service (SPEC section 10, seed 004) can ask to sign, told apart by length: 33 bytes
/// is a compressed secp256k1 key, 32 bytes an Ed25519 key.
///
/// Signatures: for secp256k1 the 64-byte compact ECDSA signature r||s over SHA-256(message) (a high-s
/// signature is normalised first), and, as `Signatures.verify` accepts, a 65-byte recoverable r||s||v
/// over SHA-256(message) or in the Ethereum personal-sign form; for Ed25519 the 64-byte RFC 8032
/// signature over the message itself.
public enum SignerKey: Sendable, Hashable, CustomStringConvertible {
    case secp256k1(PublicKey)
    case ed25519(Ed25519PublicKey)

    /// Throws `IdentityError.invalidPublicKey` for any length other than 32 or 33 (so also for the
    /// 65-byte uncompressed secp256k1 form) and for 33 bytes that are not a point on secp256k1.
    public init(bytes: [UInt8]) throws(IdentityError) {
        switch bytes.count {
        case 33: self = .secp256k1(try PublicKey(bytes: bytes))
        case 32: self = .ed25519(try Ed25519PublicKey(bytes: bytes))
        default:
            throw .invalidPublicKey("a signer key has 33 bytes (compressed secp256k1) or 32 bytes (Ed25519), got \(bytes.count)")
        }
    }

    /// The 33-byte compressed secp256k1 form or the 32-byte Ed25519 key.
    public var bytes: [UInt8] {
        switch self {
        case .secp256k1(let key): key.compressed
        case .ed25519(let key): key.bytes
        }
    }

    /// Lowercase hex of `bytes`.
    public var description: String { Hex.encode(bytes) }

    /// True when `signature` is this key's signature of `message` in one of the forms above.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        switch self {
        case .secp256k1(let key):
            do {
                try Signatures.verify(signature: signature, message: message, publicKey: key)
                return true
            } catch {
                return false
            }
        case .ed25519(let key):
            return key.verify(signature: signature, message: message)
        }
    }
}
