import COpenSSL

/// Random identifiers from OpenSSL's CSPRNG (`RAND_bytes`: a DRBG seeded and reseeded from the
/// kernel, so an identifier costs no system call), as lowercase hex.
public enum RandomHex {
    /// `words` × 64 random bits as 16 × `words` hex characters.
    public static func make(words: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: 8 * max(0, words))
        guard !bytes.isEmpty else { return "" }
        // RAND_bytes fails only when the DRBG cannot be seeded; never hand out weaker bits.
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { fatalError("RAND_bytes failed: the CSPRNG is not seeded") }
        return Hex.encode(bytes)
    }
}
