import Codecs
import CSecp256k1

/// A secp256k1 private key (32 bytes), with the signing schemes of SPEC section 3.1.
public struct PrivateKey: Sendable {
    public let bytes: [UInt8]
    /// Derived once, at creation (an elliptic-curve multiplication).
    public let publicKey: PublicKey

    /// A new random key from the system CSPRNG.
    public init() {
        var generator = SystemRandomNumberGenerator()
        while true {
            let candidate = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if secp256k1_ec_seckey_verify(Secp256k1Context.shared.raw, candidate) == 1 {
                bytes = candidate
                publicKey = Self.derive(candidate)
                return
            }
        }
    }

    public init(hex: String) throws(IdentityError) {
        var trimmed = hex
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        guard let bytes = Hex.decode(trimmed), bytes.count == 32 else { throw .invalidPrivateKey("expected 64 hex characters") }
        guard secp256k1_ec_seckey_verify(Secp256k1Context.shared.raw, bytes) == 1 else { throw .invalidPrivateKey("out of range") }
        self.bytes = bytes
        publicKey = Self.derive(bytes)
    }

    public var hex: String { Hex.encode(bytes) }

    private static func derive(_ bytes: [UInt8]) -> PublicKey {
        var key = secp256k1_pubkey()
        _ = secp256k1_ec_pubkey_create(Secp256k1Context.shared.raw, &key, bytes)
        return PublicKey(key)
    }

    /// The default scheme: 64-byte compact ECDSA (low-s) over SHA-256(message).
    public func signCompact(_ message: [UInt8]) -> [UInt8] {
        var signature = secp256k1_ecdsa_signature()
        _ = secp256k1_ecdsa_sign(Secp256k1Context.shared.raw, &signature, SHA256.hash(message), bytes, nil, nil)
        var output = [UInt8](repeating: 0, count: 64)
        _ = secp256k1_ecdsa_signature_serialize_compact(Secp256k1Context.shared.raw, &output, &signature)
        return output
    }

    /// The Ethereum personal-sign form: 65-byte r||s||v (v = 27 or 28) over
    /// keccak256("\u{19}Ethereum Signed Message:\n" + length + message), as the original circles clients sign.
    public func signEthereum(_ message: [UInt8]) -> [UInt8] {
        var signature = secp256k1_ecdsa_recoverable_signature()
        _ = secp256k1_ecdsa_sign_recoverable(Secp256k1Context.shared.raw, &signature, Signatures.ethereumDigest(message), bytes, nil, nil)
        var output = [UInt8](repeating: 0, count: 64)
        var recoveryId: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(Secp256k1Context.shared.raw, &output, &recoveryId, &signature)
        return output + [UInt8(27 + recoveryId)]
    }
}
