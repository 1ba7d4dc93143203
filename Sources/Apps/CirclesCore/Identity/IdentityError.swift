/// Why a key or a signature was refused (never a crash).
public enum IdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidPublicKey(String)
    case invalidPrivateKey(String)
    /// Malformed, wrong length, DER, out-of-range r or s, or simply not by this key over this message.
    case invalidSignature(String)

    public var description: String {
        switch self {
        case .invalidPublicKey(let detail): "invalid public key: \(detail)"
        case .invalidPrivateKey(let detail): "invalid private key: \(detail)"
        case .invalidSignature(let detail): "invalid signature: \(detail)"
        }
    }
}
