import Codecs
/// Random identifiers from the CSPRNG (`SecureRandom`: OpenSSL's DRBG, so an identifier costs no
/// system call), as lowercase hex.
public enum RandomHex {
    /// `words` × 64 random bits as 16 × `words` hex characters.
    public static func make(words: Int) -> String {
        Hex.encode(SecureRandom.bytes(8 * max(0, words)))
    }
}
