import Foundation

extension Library {
    /// `n` bits of `value` from bit `start`, shifted down to bit 0.
    static func extractBits(_ value: Int64, _ start: Int, _ n: Int) -> Int64 {
        if n <= 0 { return 0 }
        if n >= 64 { return value }
        return (value >> Int64(start)) & ((1 &<< Int64(n)) &- 1)
    }

    /// `value` with its `n` bits from bit `start` replaced by the low bits of `bits`.
    static func insertBits(_ value: Int64, _ start: Int, _ n: Int, _ bits: Int64) -> Int64 {
        if n <= 0 { return value }
        let mask: Int64 = n >= 64 ? -1 : ((1 &<< Int64(n)) &- 1) &<< Int64(start)
        return (value & ~mask) | ((bits << Int64(start)) & mask)
    }

    static func math(_ t: inout NativeTable) {
        let unary: [(String, @Sendable (Double) -> Double)] = [
            ("sqrt", { $0.squareRoot() }), ("sin", { sin($0) }), ("cos", { cos($0) }), ("tan", { tan($0) }),
            ("asin", { asin($0) }), ("acos", { acos($0) }), ("atan", { atan($0) }), ("sinh", { sinh($0) }),
            ("cosh", { cosh($0) }), ("tanh", { tanh($0) }), ("asinh", { asinh($0) }), ("acosh", { acosh($0) }),
            ("atanh", { atanh($0) }), ("exp", { exp($0) }), ("ln", { log($0) }), ("log", { log10($0) }),
            ("floor", { $0.rounded(.down) }), ("ceiling", { $0.rounded(.up) }),
            ("round", { $0.rounded(.toNearestOrAwayFromZero) }), ("int", { $0.rounded(.towardZero) }),
            ("fraction", { $0 - $0.rounded(.towardZero) }), ("to_degrees", { $0 * 180 / .pi }),
            ("to_radians", { $0 * .pi / 180 }),
        ]
        for (name, fn) in unary {
            t.add(name, [TypeMask.num]) { a, _ in .float(fn(a[0].f)) }
        }
        t.add("log", [TypeMask.num, TypeMask.num]) { a, _ in .float(log(a[0].f) / log(a[1].f)) }
        t.add("atan", [TypeMask.num, TypeMask.num]) { a, _ in .float(atan2(a[0].f, a[1].f)) }
        t.add("hypot", [TypeMask.num, TypeMask.num]) { a, _ in .float(hypot(a[0].f, a[1].f)) }
        t.add("PI", []) { _, _ in .float(.pi) }
        t.add("E", []) { _, _ in .float(M_E) }
        t.add("is_nan", [TypeMask.float]) { a, _ in .bool(a[0].f.isNaN) }
        t.add("is_finite", [TypeMask.float]) { a, _ in .bool(a[0].f.isFinite) }
        t.add("is_infinite", [TypeMask.float]) { a, _ in .bool(a[0].f.isInfinite) }
        t.add("abs", [TypeMask.int]) { a, _ throws(RhaiError) in
            if a[0].i == .min { throw RhaiError(.arithmetic, "Negation overflow: -\(a[0].i)") }
            return .int(abs(a[0].i))
        }
        t.add("abs", [TypeMask.float]) { a, _ in .float(abs(a[0].f)) }
        t.add("sign", [TypeMask.int]) { a, _ in .int(a[0].i.signum()) }
        t.add("sign", [TypeMask.float]) { a, _ in .int(a[0].f > 0 ? 1 : a[0].f < 0 ? -1 : 0) }
        t.add("is_zero", [TypeMask.num]) { a, _ in .bool(a[0].f == 0) }
        t.add("is_odd", [TypeMask.int]) { a, _ in .bool(a[0].i & 1 == 1) }
        t.add("is_even", [TypeMask.int]) { a, _ in .bool(a[0].i & 1 == 0) }
        t.add("min", [TypeMask.int, TypeMask.int]) { a, _ in .int(min(a[0].i, a[1].i)) }
        t.add("max", [TypeMask.int, TypeMask.int]) { a, _ in .int(max(a[0].i, a[1].i)) }
        t.add("min", [TypeMask.num, TypeMask.num]) { a, _ in .float(min(a[0].f, a[1].f)) }
        t.add("max", [TypeMask.num, TypeMask.num]) { a, _ in .float(max(a[0].f, a[1].f)) }
        t.add("round", [TypeMask.float, TypeMask.int]) { a, _ in
            let scale = pow(10, Double(a[1].i))
            return .float((a[0].f * scale).rounded(.toNearestOrAwayFromZero) / scale)
        }
        t.add("round_up", [TypeMask.float, TypeMask.int]) { a, _ in
            let scale = pow(10, Double(a[1].i)); return .float((a[0].f * scale).rounded(.awayFromZero) / scale)
        }
        t.add("round_down", [TypeMask.float, TypeMask.int]) { a, _ in
            let scale = pow(10, Double(a[1].i)); return .float((a[0].f * scale).rounded(.towardZero) / scale)
        }
        for name in ["floor", "ceiling", "round", "int"] {
            t.add(name, [TypeMask.int]) { a, _ in .float(Double(a[0].i)) }
        }
        t.add("bits", [TypeMask.int]) { a, _ in .array((0..<64).map { .bool(a[0].i & (1 << $0) != 0) }) }
        t.add("bits", [TypeMask.int, TypeMask.int]) { a, _ throws(RhaiError) in
            let s = try Access.bitIndex(a[1].i, .none)
            return .array((s..<64).map { .bool(a[0].i & (1 << $0) != 0) })
        }
        t.add("bits", [TypeMask.int, TypeMask.int, TypeMask.int]) { a, _ throws(RhaiError) in
            let s = try Access.bitIndex(a[1].i, .none)
            let e = min(64, s + max(0, a[2].i))
            return .array((s..<e).map { .bool(a[0].i & (1 << $0) != 0) })
        }
        t.add("bits", [TypeMask.int, TypeMask.range]) { a, _ in
            guard case .range(let lo, let hi, let inc) = a[1] else { return .unit }
            let (s, e) = Access.clampRange(lo, inc ? hi &+ (hi == .max ? 0 : 1) : hi, 64)
            return .array((s..<e).map { .bool(a[0].i & (1 << $0) != 0) })
        }
        t.add("get_bits", [TypeMask.int, TypeMask.int, TypeMask.int]) { a, _ throws(RhaiError) in
            let s = try Access.bitIndex(a[1].i, .none)
            let n = min(64 - s, max(0, a[2].i))
            if n == 0 { return .int(0) }
            let mask: Int64 = n >= 64 ? -1 : (1 << n) - 1
            return .int((a[0].i >> s) & mask)
        }
        t.add("get_bits", [TypeMask.int, TypeMask.range]) { a, _ in
            let (s, e) = rangeBounds(a[1], 64)
            return .int(extractBits(a[0].i, s, e - s))
        }
        t.add("set_bits", [TypeMask.int, TypeMask.range, TypeMask.int]) { a, _ in
            let (s, e) = rangeBounds(a[1], 64)
            a[0] = .int(insertBits(a[0].i, s, e - s, a[2].i))
            return .unit
        }
        t.add("round_half_up", [TypeMask.float, TypeMask.int]) { a, _ in
            let scale = pow(10, Double(a[1].i)); return .float((a[0].f * scale).rounded(.toNearestOrAwayFromZero) / scale)
        }
        t.add("round_half_down", [TypeMask.float, TypeMask.int]) { a, _ in
            let scale = pow(10, Double(a[1].i))
            let x = a[0].f * scale
            let r = x.rounded(.towardZero)
            return .float((abs(x - r) > 0.5 ? x.rounded(.awayFromZero) : r) / scale)
        }
        t.add("set_bits", [TypeMask.int, TypeMask.int, TypeMask.int, TypeMask.int]) { a, _ throws(RhaiError) in
            let s = try Access.bitIndex(a[1].i, .none)
            let n = min(64 - s, max(0, a[2].i))
            if n == 0 { return .unit }
            let mask: Int64 = n >= 64 ? -1 : ((1 << n) - 1) << s
            a[0] = .int((a[0].i & ~mask) | ((a[3].i << s) & mask))
            return .unit
        }
        t.add("get_bit", [TypeMask.int, TypeMask.int]) { a, _ throws(RhaiError) in
            .bool(a[0].i & (1 << (try Access.bitIndex(a[1].i, .none))) != 0)
        }
        t.add("set_bit", [TypeMask.int, TypeMask.int, TypeMask.bool]) { a, _ throws(RhaiError) in
            let bit = try Access.bitIndex(a[1].i, .none)
            a[0] = .int(a[2].b ? a[0].i | (1 << bit) : a[0].i & ~(1 << bit))
            return .unit
        }
    }
}
