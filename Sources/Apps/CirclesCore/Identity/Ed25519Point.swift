import COpenSSL

/// Checks an Ed25519 public key's encoding before it is trusted (RFC 8032 §5.1.3): the y coordinate must
/// be canonical (below p = 2^255 - 19), the point must be on the curve, a zero x must not carry the
/// sign bit, and the point must not be of small order ([8]A ≠ identity): a small-order key would make
/// a signature like (R = identity, S = 0) verify for every message.
enum Ed25519Point {
    /// Nil when `bytes` (32) are an acceptable key, else why not.
    static func problem(_ bytes: [UInt8]) -> String? {
        let constants = Constants.shared
        guard let context = BN_CTX_new() else { return "OpenSSL could not allocate" }
        defer { BN_CTX_free(context) }
        BN_CTX_start(context)
        defer { BN_CTX_end(context) }
        guard let y = BN_CTX_get(context), let xx = BN_CTX_get(context), let t = BN_CTX_get(context),
              let u = BN_CTX_get(context), let v = BN_CTX_get(context) else { return "OpenSSL could not allocate" }
        var encoded = bytes
        let sign = encoded[31] >> 7
        encoded[31] &= 0x7F
        guard BN_lebin2bn(encoded, 32, y) != nil else { return "OpenSSL could not read the key" }
        guard BN_cmp(y, constants.p) < 0 else { return "not canonical (y is not below 2^255 - 19)" }
        guard xSquared(of: y, into: xx, u: u, v: v, context: context) else { return "not a point on Ed25519" }
        if BN_is_zero(xx) == 1 {
            guard sign == 0 else { return "not canonical (x is zero with the sign bit set)" }
        } else {
            guard BN_mod_exp(t, xx, constants.halfOrder, constants.p, context) == 1, BN_is_one(t) == 1 else {
                return "not a point on Ed25519"
            }
        }
        // [8]A through three doublings, on y alone: y' = (y² + x²) / (1 - d·x²·y²), with x² from the curve.
        for _ in 0..<3 {
            guard xSquared(of: y, into: xx, u: u, v: v, context: context),
                  BN_mod_sqr(t, y, constants.p, context) == 1,              // t = y²
                  BN_mod_add(u, t, xx, constants.p, context) == 1,          // u = y² + x²
                  BN_mod_mul(v, t, xx, constants.p, context) == 1,          // v = x²y²
                  BN_mod_mul(v, v, constants.d, constants.p, context) == 1, // v = d·x²y²
                  BN_mod_sub(v, constants.one, v, constants.p, context) == 1,
                  BN_mod_inverse(v, v, constants.p, context) != nil,
                  BN_mod_mul(y, u, v, constants.p, context) == 1 else { return "not a point on Ed25519" }
        }
        return BN_is_one(y) == 1 ? "of small order (a torsion point)" : nil
    }

    /// x² = (y² - 1) / (d·y² + 1) mod p; false when OpenSSL fails.
    private static func xSquared(of y: OpaquePointer, into xx: OpaquePointer, u: OpaquePointer, v: OpaquePointer,
                                 context: OpaquePointer) -> Bool {
        let constants = Constants.shared
        return BN_mod_sqr(u, y, constants.p, context) == 1
            && BN_mod_mul(v, u, constants.d, constants.p, context) == 1
            && BN_mod_add(v, v, constants.one, constants.p, context) == 1
            && BN_mod_sub(u, u, constants.one, constants.p, context) == 1
            && BN_mod_inverse(v, v, constants.p, context) != nil
            && BN_mod_mul(xx, u, v, constants.p, context) == 1
    }

    /// p, d = -121665/121666 mod p, (p - 1)/2 and 1, made once and only read afterwards.
    private final class Constants: @unchecked Sendable {
        static let shared = Constants()
        let p: OpaquePointer
        let d: OpaquePointer
        let halfOrder: OpaquePointer
        let one: OpaquePointer

        private init() {
            let context = BN_CTX_new()!
            defer { BN_CTX_free(context) }
            var p: OpaquePointer? = nil
            _ = BN_hex2bn(&p, "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed")
            let numerator = BN_new()!, denominator = BN_new()!, d = BN_new()!, half = BN_new()!, one = BN_new()!
            _ = BN_set_word(one, 1)
            _ = BN_set_word(denominator, 121_666)
            _ = BN_set_word(numerator, 121_665)
            _ = BN_sub(numerator, p!, numerator)                      // -121665 mod p
            _ = BN_mod_inverse(denominator, denominator, p!, context)
            _ = BN_mod_mul(d, numerator, denominator, p!, context)
            _ = BN_rshift1(half, p!)                                  // (p - 1) / 2, p being odd
            BN_free(numerator)
            BN_free(denominator)
            self.p = p!
            self.d = d
            self.halfOrder = half
            self.one = one
        }
    }
}
