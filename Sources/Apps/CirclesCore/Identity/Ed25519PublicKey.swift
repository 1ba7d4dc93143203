import Codecs
import COpenSSL

/// An Ed25519 public key (RFC 8032): its 32-byte encoding, refused when it is not canonical, not on the
/// curve or of small order (`Ed25519Point`); signatures are checked through OpenSSL's EVP interface.
public struct Ed25519PublicKey: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(IdentityError) {
        guard bytes.count == 32 else { throw .invalidPublicKey("an Ed25519 key has 32 bytes, got \(bytes.count)") }
        if let problem = Ed25519Point.problem(bytes) { throw .invalidPublicKey("the Ed25519 key is \(problem)") }
        self.bytes = bytes
    }

    /// Lowercase hex of the 32 bytes.
    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    /// True when `signature` is this key's 64-byte Ed25519 signature of `message`; false for anything
    /// else, including a wrong length or a key that is not a valid point.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        guard signature.count == 64,
              let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, bytes, bytes.count) else { return false }
        defer { EVP_PKEY_free(key) }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return false }
        let padded = message.isEmpty ? [0] : message
        return padded.withUnsafeBufferPointer { input in
            EVP_DigestVerify(context, signature, signature.count, input.baseAddress, message.count) == 1
        }
    }
}
