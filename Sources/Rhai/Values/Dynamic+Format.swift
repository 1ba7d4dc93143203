extension Dynamic: CustomStringConvertible, CustomDebugStringConvertible {
    /// Rhai's `to_string` / `print` form.
    public var description: String { unbounded(.display) }

    /// Rhai's `debug` form: strings quoted, chars in single quotes, unit as `()`.
    public var debugDescription: String { unbounded(.debug) }

    private func unbounded(_ style: TextStyle) -> String {
        var w = TextWriter(limit: .max)
        do throws(RhaiError) { try render(style, into: &w) } catch { return w.text }
        return w.text
    }

    /// Escapes for Rhai's debug form, or (`json`) for JSON strings.
    static func escape(_ s: String, quote: Character, json: Bool = false) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            case "\0" where !json: out += "\\0"
            default:
                if json && ch.value < 0x20 {
                    let h = String(ch.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                    continue
                }
                if Character(ch) == quote { out += "\\" }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Rhai's bounds for a float's natural `to_string` form: `f32` constants (1e13 and 1e-13 as `f32`).
    private static let naturalMax = Double(Float(1e13))
    private static let naturalMin = Double(Float(1e-13))

    /// A float's `to_string` / `print` form (Rhai's `FloatWrapper` display): `0.0` for either zero,
    /// `2.0`, `123.456`, exponent form above `naturalMax` or below `naturalMin`.
    static func formatFloat(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if v == 0 { return "0.0" }
        let mag = abs(v)
        return spell(v, exponent: mag > naturalMax || mag < naturalMin)
    }

    /// A float's debug form, also used for the elements of arrays and maps (Rust's `{:?}`): `-0.0`
    /// kept, exponent form from 1e16 up and below 1e-4.
    static func formatFloatDebug(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if v == 0 { return v.sign == .minus ? "-0.0" : "0.0" }
        let mag = abs(v)
        return spell(v, exponent: mag >= 1e16 || mag < 1e-4)
    }

    /// The shortest round-trip digits of a non-zero finite `v`, in exponent form (`1.5e-7`) or in
    /// decimal form with at least one fractional digit (`2.0`).
    private static func spell(_ v: Double, exponent: Bool) -> String {
        let (digits, exp) = shortestDigits(abs(v))
        let sign = v < 0 ? "-" : ""
        if exponent {
            var m = String(digits.first!)
            if digits.count > 1 { m += "." + digits.dropFirst() }
            return sign + m + "e" + String(exp)
        }
        // Decimal notation: value = 0.digits * 10^(exp+1)
        let point = exp + 1
        var out: String
        if point <= 0 {
            out = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            out = digits + String(repeating: "0", count: point - digits.count) + ".0"
        } else {
            let idx = digits.index(digits.startIndex, offsetBy: point)
            out = String(digits[..<idx]) + "." + String(digits[idx...])
        }
        return sign + out
    }

    /// The shortest round-trip decimal digits of a positive finite double and its decimal exponent
    /// (value = d.ddd × 10^exp).
    private static func shortestDigits(_ v: Double) -> (String, Int) {
        let s = v.description  // Swift prints the shortest round-trip form
        var mantissa = s
        var exp = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(s[..<e])
            exp = Int(s[s.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0
        }
        var intPart = mantissa
        var frac = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = String(mantissa[..<dot])
            frac = String(mantissa[mantissa.index(after: dot)...])
        }
        var digits = intPart + frac
        var e10 = exp + intPart.count - 1
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); e10 -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, e10)
    }
}

private extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}

extension Dynamic {
    /// JSON text: numbers, bools, strings and chars as themselves, unit as null, arrays and maps as
    /// arrays and objects, anything else as its string form.
    public var jsonText: String { Library.json(self) }
}
