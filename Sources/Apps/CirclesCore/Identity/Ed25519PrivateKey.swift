import COpenSSL

/// An Ed25519 private key (RFC 8032), kept as its 32-byte seed; signing goes through OpenSSL's EVP
/// interface (pure Ed25519, no pre-hash).
public struct Ed25519PrivateKey: Sendable {
    /// The 32-byte seed ("secret key" in RFC 8032).
    public let seed: [UInt8]
    public let publicKey: Ed25519PublicKey

    /// A new random key from OpenSSL's CSPRNG.
    public init() {
        // Any 32 bytes are a valid seed.
        try! self.init(seed: SecureRandom.bytes(32))
    }

    public init(seed: [UInt8]) throws(IdentityError) {
        guard seed.count == 32 else { throw .invalidPrivateKey("an Ed25519 seed has 32 bytes, got \(seed.count)") }
        let key = try Self.makeKey(seed)
        defer { EVP_PKEY_free(key) }
        var raw = [UInt8](repeating: 0, count: 32)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1, length == 32 else {
            throw .invalidPrivateKey("OpenSSL could not derive the Ed25519 public key")
        }
        self.seed = seed
        publicKey = try Ed25519PublicKey(bytes: raw)
    }

    /// The 64-byte Ed25519 signature of `message` (deterministic).
    public func sign(_ message: [UInt8]) -> [UInt8] {
        let key = try! Self.makeKey(seed)
        defer { EVP_PKEY_free(key) }
        let context = EVP_MD_CTX_new()
        precondition(context != nil, "EVP_MD_CTX_new failed")
        defer { EVP_MD_CTX_free(context) }
        precondition(EVP_DigestSignInit(context, nil, nil, nil, key) == 1, "EVP_DigestSignInit failed for Ed25519")
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        let padded = message.isEmpty ? [0] : message
        let result = padded.withUnsafeBufferPointer { input in
            EVP_DigestSign(context, &signature, &length, input.baseAddress, message.count)
        }
        precondition(result == 1 && length == 64, "EVP_DigestSign failed for Ed25519")
        return signature
    }

    private static func makeKey(_ seed: [UInt8]) throws(IdentityError) -> OpaquePointer {
        guard let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, seed.count) else {
            throw .invalidPrivateKey("OpenSSL refused the Ed25519 seed")
        }
        return key
    }
}
