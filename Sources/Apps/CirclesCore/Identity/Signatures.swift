import Codecs
import CSecp256k1

/// Signature verification by the rules of SPEC section 3.1: the message is the nonce's UTF-8 bytes;
/// 64 bytes is compact ECDSA over SHA-256 (a high-s signature is normalised first); 65 bytes is a
/// recoverable r||s||v (v in 0, 1, 27, 28) over SHA-256 or in the Ethereum personal-sign form, and the
/// recovered key must be the claimed one. Anything else is an invalid signature, never a crash.
public enum Signatures {
    public static func verify(signatureHex: String, message: [UInt8], publicKey: PublicKey) throws(IdentityError) {
        guard let signature = Hex.decode(signatureHex) else { throw .invalidSignature("not hex") }
        try verify(signature: signature, message: message, publicKey: publicKey)
    }

    public static func verify(signature: [UInt8], message: [UInt8], publicKey: PublicKey) throws(IdentityError) {
        let context = Secp256k1Context.shared.raw
        switch signature.count {
        case 64:
            var parsed = secp256k1_ecdsa_signature()
            guard secp256k1_ecdsa_signature_parse_compact(context, &parsed, signature) == 1 else {
                throw .invalidSignature("r or s out of range")
            }
            var normalized = secp256k1_ecdsa_signature()
            _ = secp256k1_ecdsa_signature_normalize(context, &normalized, &parsed)
            var key = publicKey.parsed
            guard secp256k1_ecdsa_verify(context, &normalized, SHA256.hash(message), &key) == 1 else {
                throw .invalidSignature("does not verify for this key and message")
            }
        case 65:
            let v = signature[64]
            guard [0, 1, 27, 28].contains(v) else { throw .invalidSignature("recovery id v must be 0, 1, 27 or 28, got \(v)") }
            var parsed = secp256k1_ecdsa_recoverable_signature()
            guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &parsed, Array(signature[..<64]), Int32(v >= 27 ? v - 27 : v)) == 1 else {
                throw .invalidSignature("r or s out of range")
            }
            for digest in [SHA256.hash(message), ethereumDigest(message)] {
                var recovered = secp256k1_pubkey()
                if secp256k1_ecdsa_recover(context, &recovered, &parsed, digest) == 1, PublicKey(recovered) == publicKey { return }
            }
            throw .invalidSignature("the recovered key is not the claimed one")
        default:
            throw .invalidSignature("expected 64 (compact) or 65 (recoverable) bytes, got \(signature.count)")
        }
    }

    /// keccak256("\u{19}Ethereum Signed Message:\n" + decimal byte length + message).
    public static func ethereumDigest(_ message: [UInt8]) -> [UInt8] {
        Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8) + message)
    }
}
