import COpenSSL

/// SHA-256 through OpenSSL's EVP interface, with the digest fetched once (an implicit fetch per call
/// costs about as much as hashing a nonce).
public enum SHA256 {
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        data.withUnsafeBytes { input in
            _ = EVP_Digest(input.baseAddress, input.count, &digest, &length, Fetched.sha256.digest, nil)
        }
        return digest
    }

    /// `@unchecked Sendable`: an EVP_MD is immutable once fetched, and this one is never freed.
    private struct Fetched: @unchecked Sendable {
        let digest: OpaquePointer?
        static let sha256 = Fetched(digest: EVP_MD_fetch(nil, "SHA256", nil))
    }
}
