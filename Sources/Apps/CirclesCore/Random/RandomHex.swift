/// Random identifiers from the system CSPRNG (getrandom on Linux), as lowercase hex.
public enum RandomHex {
    /// `words` × 64 random bits as 16 × `words` hex characters.
    public static func make(words: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(16 * words)
        for _ in 0..<words {
            var word = generator.next()
            for _ in 0..<16 {
                out.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
