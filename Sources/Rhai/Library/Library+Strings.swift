import Foundation

extension Library {
    static func chars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }
    static func string(_ c: some Sequence<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(c)) }

    /// Character offset of `needle` in `hay` at or after character `start`, or -1.
    static func indexOf(_ hay: String, _ needle: String, from start: Int) -> Int {
        let from = hay.byteOffset(ofScalar: max(start, 0))
        guard let k = hay.byteOffset(of: needle, from: from) else { return -1 }
        return hay.scalarCount(toByte: k)
    }

    static func bounds(_ start: Int64, _ len: Int64?, _ count: Int) -> (Int, Int) {
        var s = start < 0 ? Int64(count) + start : start
        s = max(0, min(Int64(count), s))
        let l = len.map { max(0, $0) } ?? (Int64(count) - s)
        let e = min(Int64(count), s + min(l, Int64(count)))
        return (Int(s), Int(max(s, e)))
    }

    static func strings(_ t: inout NativeTable) {
        t.add("len", [TypeMask.string]) { a, _ in .int(Int64(a[0].s.unicodeScalars.count)) }
        t.add("bytes", [TypeMask.string]) { a, _ in .int(Int64(a[0].s.utf8.count)) }
        t.add("is_empty", [TypeMask.string]) { a, _ in .bool(a[0].s.isEmpty) }
        t.add("to_upper", [TypeMask.string]) { a, _ in .string(a[0].s.uppercased()) }
        t.add("to_lower", [TypeMask.string]) { a, _ in .string(a[0].s.lowercased()) }
        t.add("to_upper", [TypeMask.char]) { a, _ in .char(String(Character(a[0].c)).uppercased().unicodeScalars.first ?? a[0].c) }
        t.add("to_lower", [TypeMask.char]) { a, _ in .char(String(Character(a[0].c)).lowercased().unicodeScalars.first ?? a[0].c) }
        t.add("make_upper", [TypeMask.string]) { a, _ throws(RhaiError) in try withString(&a[0]) { $0 = $0.uppercased() }; return .unit }
        t.add("make_lower", [TypeMask.string]) { a, _ throws(RhaiError) in try withString(&a[0]) { $0 = $0.lowercased() }; return .unit }
        t.add("make_upper", [TypeMask.char]) { a, _ in
            a[0] = .char(String(Character(a[0].c)).uppercased().unicodeScalars.first ?? a[0].c)
            return .unit
        }
        t.add("make_lower", [TypeMask.char]) { a, _ in
            a[0] = .char(String(Character(a[0].c)).lowercased().unicodeScalars.first ?? a[0].c)
            return .unit
        }
        t.add("trim", [TypeMask.string]) { a, _ throws(RhaiError) in
            try withString(&a[0]) { $0 = $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            return .unit
        }
        t.add("clear", [TypeMask.string]) { a, _ in a[0] = .string(""); return .unit }
        t.add("contains", [TypeMask.string, TypeMask.string | TypeMask.char]) { a, _ in
            let n = a[1].text
            return .bool(a[0].s.includes(n))
        }
        // bytewise, as Rust compares (a combining mark after the prefix does not hide it)
        t.add("starts_with", [TypeMask.string, TypeMask.string | TypeMask.char]) { a, _ in
            .bool(a[0].s.utf8.starts(with: a[1].text.utf8))
        }
        t.add("ends_with", [TypeMask.string, TypeMask.string | TypeMask.char]) { a, _ in
            let (s, p) = (a[0].s.utf8, a[1].text.utf8)
            return .bool(s.count >= p.count && s.suffix(p.count).elementsEqual(p))
        }
        t.add("index_of", [TypeMask.string, TypeMask.string | TypeMask.char]) { a, _ in
            .int(Int64(indexOf(a[0].s, a[1].text, from: 0)))
        }
        t.add("index_of", [TypeMask.string, TypeMask.string | TypeMask.char, TypeMask.int]) { a, _ in
            let h = a[0].s
            let (s, _) = bounds(a[2].i, nil, h.unicodeScalars.count)
            return .int(Int64(indexOf(h, a[1].text, from: s)))
        }
        t.add("sub_string", [TypeMask.string, TypeMask.int]) { a, _ in
            let c = chars(a[0].s)
            let (s, e) = bounds(a[1].i, nil, c.count)
            return .string(string(c[s..<e]))
        }
        t.add("sub_string", [TypeMask.string, TypeMask.int, TypeMask.int]) { a, _ in
            let c = chars(a[0].s)
            let (s, e) = bounds(a[1].i, a[2].i, c.count)
            return .string(string(c[s..<e]))
        }
        t.add("sub_string", [TypeMask.string, TypeMask.range]) { a, _ in
            guard case .range(let lo, let hi, let inc) = a[1] else { return .unit }
            let c = chars(a[0].s)
            let (s, e) = Access.clampRange(lo, inc ? hi &+ (hi == .max ? 0 : 1) : hi, c.count)
            return .string(string(c[s..<e]))
        }
        t.add("crop", [TypeMask.string, TypeMask.int]) { a, _ throws(RhaiError) in
            let st = a[1].i
            try withString(&a[0]) { str in let c = chars(str); let (s, e) = bounds(st, nil, c.count); str = string(c[s..<e]) }
            return .unit
        }
        t.add("crop", [TypeMask.string, TypeMask.int, TypeMask.int]) { a, _ throws(RhaiError) in
            let (st, len) = (a[1].i, a[2].i)
            try withString(&a[0]) { str in let c = chars(str); let (s, e) = bounds(st, len, c.count); str = string(c[s..<e]) }
            return .unit
        }
        t.add("truncate", [TypeMask.string, TypeMask.int]) { a, _ throws(RhaiError) in
            let n = a[1].i
            try withString(&a[0]) { str in let c = chars(str); if n < c.count { str = string(c[0..<Int(max(0, n))]) } }
            return .unit
        }
        t.add("chop", [TypeMask.string, TypeMask.int]) { a, _ throws(RhaiError) in
            let k = a[1].i
            try withString(&a[0]) { str in let c = chars(str); let n = Int(max(0, min(Int64(c.count), k))); str = string(c[0..<c.count - n]) }
            return .unit
        }
        t.add("pad", [TypeMask.string, TypeMask.int, TypeMask.char | TypeMask.string]) { a, i throws(RhaiError) in
            let target = Int(max(0, a[1].i))
            try i.checkGrowth(count: target, isString: true)
            let fill = a[2].text
            guard !fill.isEmpty else { return .unit }
            try withString(&a[0]) { str in
                let count = str.unicodeScalars.count
                guard count < target else { return }
                let width = fill.unicodeScalars.count
                let whole = (target - count) / width
                str += String(repeating: fill, count: whole)
                for u in fill.unicodeScalars.prefix(target - count - whole * width) { str.unicodeScalars.append(u) }
            }
            return .unit
        }
        t.add("replace", [TypeMask.string, TypeMask.string | TypeMask.char, TypeMask.string | TypeMask.char]) { a, _ throws(RhaiError) in
            let (from, to) = (a[1].text, a[2].text)
            try withString(&a[0]) { $0 = $0.replacingAll(from, with: to) }
            return .unit
        }
        t.add("remove", [TypeMask.string, TypeMask.string | TypeMask.char]) { a, _ throws(RhaiError) in
            let from = a[1].text
            try withString(&a[0]) { $0 = $0.replacingAll(from, with: "") }
            return .unit
        }
        t.add("chars", [TypeMask.string]) { a, _ in .array(a[0].s.unicodeScalars.map { .char($0) }) }
        t.add("chars", [TypeMask.string, TypeMask.int]) { a, _ in
            let c = chars(a[0].s)
            let (s, e) = bounds(a[1].i, nil, c.count)
            return .array(c[s..<e].map { .char($0) })
        }
        t.add("chars", [TypeMask.string, TypeMask.int, TypeMask.int]) { a, _ in
            let c = chars(a[0].s)
            let (s, e) = bounds(a[1].i, a[2].i, c.count)
            return .array(c[s..<e].map { .char($0) })
        }
        t.add("chars", [TypeMask.string, TypeMask.range]) { a, _ in
            guard case .range(let lo, let hi, let inc) = a[1] else { return .unit }
            let c = chars(a[0].s)
            let (s, e) = Access.clampRange(lo, inc ? hi &+ (hi == .max ? 0 : 1) : hi, c.count)
            return .array(c[s..<e].map { .char($0) })
        }
        t.add("to_chars", [TypeMask.string]) { a, _ in .array(a[0].s.unicodeScalars.map { .char($0) }) }
        t.add("to_blob", [TypeMask.string]) { a, _ in .blob(Array(a[0].s.utf8)) }
        t.add("get", [TypeMask.string, TypeMask.int]) { a, _ in
            let c = chars(a[0].s)
            let k = a[1].i < 0 ? Int64(c.count) + a[1].i : a[1].i
            return k >= 0 && k < c.count ? .char(c[Int(k)]) : .unit
        }
        t.add("set", [TypeMask.string, TypeMask.int, TypeMask.char]) { a, _ throws(RhaiError) in
            var c = chars(a[0].s)
            let k = a[1].i < 0 ? Int64(c.count) + a[1].i : a[1].i
            if k >= 0 && k < c.count { c[Int(k)] = a[2].c; a[0] = .string(string(c)) }
            return .unit
        }
        t.add("split", [TypeMask.string, TypeMask.string | TypeMask.char]) { a, _ in
            let sep = a[1].text
            if sep.isEmpty { return .array(a[0].s.unicodeScalars.map { .string(String(Character($0))) }) }
            return .array(split(a[0].s, sep).map { .string($0) })
        }
        t.add("split", [TypeMask.string, TypeMask.string | TypeMask.char, TypeMask.int]) { a, _ in
            let parts = split(a[0].s, a[1].text)
            let n = Int(max(1, a[2].i))
            if parts.count <= n { return .array(parts.map { .string($0) }) }
            let head = parts[0..<n - 1].map { Dynamic.string($0) }
            return .array(head + [.string(parts[(n - 1)...].joined(separator: a[1].text))])
        }
        t.add("split", [TypeMask.string]) { a, _ in
            .array(a[0].s.split(whereSeparator: { $0.isWhitespace }).map { .string(String($0)) })
        }
        t.add("split", [TypeMask.string, TypeMask.int]) { a, _ in
            let c = chars(a[0].s)
            let (s, _) = bounds(a[1].i, nil, c.count)
            return .array([.string(string(c[0..<s])), .string(string(c[s...]))])
        }
        t.add("split_rev", [TypeMask.string, TypeMask.string | TypeMask.char]) { a, _ in
            .array(split(a[0].s, a[1].text).reversed().map { .string($0) })
        }
        // at most `segments` pieces, from the end: the last piece keeps the rest of the string
        t.add("split_rev", [TypeMask.string, TypeMask.string | TypeMask.char, TypeMask.int]) { a, _ in
            let parts = Array(split(a[0].s, a[1].text).reversed())
            let n = Int(max(1, min(a[2].i, Int64(Int.max))))
            if parts.count <= n { return .array(parts.map { .string($0) }) }
            let head = parts[0..<n - 1].map { Dynamic.string($0) }
            return .array(head + [.string(parts[(n - 1)...].reversed().joined(separator: a[1].text))])
        }
        t.add("reverse", [TypeMask.string]) { a, _ in a[0] = .string(string(chars(a[0].s).reversed())); return .unit }
        t.add("+", [TypeMask.string, TypeMask.unit]) { a, _ in a[0] }
        t.add("+", [TypeMask.unit, TypeMask.string]) { a, _ in a[1] }
        t.add("*", [TypeMask.string, TypeMask.int]) { a, i throws(RhaiError) in
            let n = Int(max(0, a[1].i))
            let (total, o) = a[0].s.utf8.count.multipliedReportingOverflow(by: n)
            try i.checkGrowth(count: o ? .max : total, isString: true)
            return .string(String(repeating: a[0].s, count: n))
        }
        t.add("pop", [TypeMask.string]) { a, _ throws(RhaiError) in
            try withString(&a[0]) { str in str.unicodeScalars.popLast().map { .char($0) } ?? .unit }
        }
        t.add("pop", [TypeMask.string, TypeMask.int]) { a, _ throws(RhaiError) in
            let n = a[1].i
            return try withString(&a[0]) { str in
                var c = chars(str)
                let k = Int(max(0, min(Int64(c.count), n)))
                let tail = string(c[(c.count - k)...])
                c.removeLast(k)
                str = string(c)
                return .string(tail)
            }
        }
        t.add("append", [TypeMask.string, TypeMask.any]) { a, i throws(RhaiError) in
            let item = a[1]
            try withString(&a[0]) { str throws(RhaiError) in
                switch item {
                case .string(let t): str += t
                case .blob(let b): str += String(decoding: b, as: UTF8.self)  // a BLOB is UTF-8 text
                default: str += try i.text(item, used: str.utf8.count)
                }
            }
            return .unit
        }
        t.add("crop", [TypeMask.string, TypeMask.range]) { a, _ throws(RhaiError) in
            guard case .range(let lo, let hi, let inc) = a[1] else { return .unit }
            try withString(&a[0]) { str in
                let c = chars(str)
                let (s, e) = Access.clampRange(lo, inc ? hi &+ (hi == .max ? 0 : 1) : hi, c.count)
                str = string(c[s..<e])
            }
            return .unit
        }
        t.add("trim_start", [TypeMask.string]) { a, _ throws(RhaiError) in
            try withString(&a[0]) { str in str = String(str.drop { $0.isWhitespace }) }
            return .unit
        }
        t.add("trim_end", [TypeMask.string]) { a, _ throws(RhaiError) in
            try withString(&a[0]) { str in
                while let last = str.last, last.isWhitespace { str.removeLast() }
            }
            return .unit
        }
        t.add("to_string", [TypeMask.char]) { a, _ in .string(String(Character(a[0].c))) }
        t.add("len", [TypeMask.char]) { _, _ in .int(1) }
        t.add("is_alphabetic", [TypeMask.char]) { a, _ in .bool(a[0].c.properties.isAlphabetic) }
        t.add("is_numeric", [TypeMask.char]) { a, _ in .bool(a[0].c.properties.numericType != nil) }
        t.add("is_whitespace", [TypeMask.char]) { a, _ in .bool(a[0].c.properties.isWhitespace) }
    }

    static func split(_ s: String, _ sep: String) -> [String] { s.pieces(separatedBy: sep) }
}
