import COpenSSL

/// Random bytes from OpenSSL's CSPRNG, for keys, nonces and challenges.
public enum SecureRandom {
    /// `count` random bytes. Traps if OpenSSL cannot produce them (an unseeded generator is not
    /// something to carry on with).
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "SecureRandom.bytes: invalid count \(count)")
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        let result = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(result == 1, "RAND_bytes failed")
        return out
    }
}
