extension Library {
    /// The positions `start..<end` a range argument selects in a sequence of `count` items.
    static func rangeBounds(_ r: Dynamic, _ count: Int) -> (Int, Int) {
        guard case .range(let lo, let hi, let inc) = r else { return (0, 0) }
        return Access.clampRange(lo, inc ? hi &+ (hi == .max ? 0 : 1) : hi, count)
    }

    /// The positions selected by either `(start, len)` or a range, from the arguments at `k`.
    static func span(_ a: [Dynamic], _ k: Int, _ count: Int) -> (Int, Int) {
        if case .range = a[k] { return rangeBounds(a[k], count) }
        return bounds(a[k].i, a[k + 1].i, count)
    }

    /// An INT or FLOAT from up to eight bytes (missing bytes are zeros; extra bytes are ignored).
    static func parseBytes(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> UInt64 {
        var v: UInt64 = 0
        for (k, byte) in bytes.prefix(8).enumerated() {
            v |= UInt64(byte) << (littleEndian ? UInt64(8 * k) : UInt64(56 - 8 * k))
        }
        return v
    }

    /// The eight bytes of a value in the given byte order.
    static func valueBytes(_ v: UInt64, littleEndian: Bool) -> [UInt8] {
        (0..<8).map { k in UInt8(truncatingIfNeeded: v >> (littleEndian ? UInt64(8 * k) : UInt64(56 - 8 * k))) }
    }

    static func blobs(_ t: inout NativeTable) {
        t.add("blob", []) { _, _ in .blob([]) }
        t.add("blob", [TypeMask.int]) { a, i throws(RhaiError) in
            try i.checkGrowth(count: Int(max(0, min(a[0].i, Int64(Int32.max)))))
            return .blob(Array(repeating: 0, count: Int(max(0, a[0].i))))
        }
        t.add("blob", [TypeMask.int, TypeMask.int]) { a, i throws(RhaiError) in
            try i.checkGrowth(count: Int(max(0, min(a[0].i, Int64(Int32.max)))))
            return .blob(Array(repeating: UInt8(truncatingIfNeeded: a[1].i), count: Int(max(0, a[0].i))))
        }
        t.add("append", [TypeMask.blob, TypeMask.blob | TypeMask.int | TypeMask.string | TypeMask.char]) { a, _ throws(RhaiError) in
            let v = a[1]
            try withBlob(&a[0]) { b in
                switch v {
                case .blob(let c): b += c
                case .int(let x): b.append(UInt8(truncatingIfNeeded: x))
                case .string(let s): b += Array(s.utf8)
                case .char(let c): b += Array(String(Character(c)).utf8)
                default: break
                }
            }
            return .unit
        }
        t.add("push", [TypeMask.blob, TypeMask.int]) { a, _ throws(RhaiError) in
            let v = UInt8(truncatingIfNeeded: a[1].i)
            try withBlob(&a[0]) { $0.append(v) }
            return .unit
        }
        t.add("pop", [TypeMask.blob]) { a, _ throws(RhaiError) in try withBlob(&a[0]) { b in .int(Int64(b.popLast() ?? 0)) } }
        t.add("shift", [TypeMask.blob]) { a, _ throws(RhaiError) in
            try withBlob(&a[0]) { b in .int(b.isEmpty ? 0 : Int64(b.removeFirst())) }
        }
        t.add("clear", [TypeMask.blob]) { a, _ in a[0] = .blob([]); return .unit }
        t.add("len", [TypeMask.blob]) { a, _ in if case .blob(let b) = a[0] { return .int(Int64(b.count)) }; return .unit }
        t.add("is_empty", [TypeMask.blob]) { a, _ in if case .blob(let b) = a[0] { return .bool(b.isEmpty) }; return .unit }
        t.add("contains", [TypeMask.blob, TypeMask.int]) { a, _ in
            guard case .blob(let b) = a[0] else { return .unit }
            let byte = UInt8(truncatingIfNeeded: a[1].i)  // only the low 8 bits count
            return .bool(b.contains(byte))
        }
        t.add("get", [TypeMask.blob, TypeMask.int]) { a, _ in
            guard case .blob(let b) = a[0] else { return .unit }
            let k = Library.offset(a[1].i, b.count)
            return k < b.count ? .int(Int64(b[k])) : .int(0)
        }
        t.add("set", [TypeMask.blob, TypeMask.int, TypeMask.int]) { a, _ throws(RhaiError) in
            let (k0, v) = (a[1].i, UInt8(truncatingIfNeeded: a[2].i))
            try withBlob(&a[0]) { b in
                let k = Library.offset(k0, b.count)
                if k < b.count { b[k] = v }
            }
            return .unit
        }
        t.add("insert", [TypeMask.blob, TypeMask.int, TypeMask.int]) { a, _ throws(RhaiError) in
            let (k, v) = (a[1].i, UInt8(truncatingIfNeeded: a[2].i))
            try withBlob(&a[0]) { b in
                let idx = k < 0 ? max(0, Int64(b.count) + k) : min(k, Int64(b.count))
                b.insert(v, at: Int(idx))
            }
            return .unit
        }
        t.add("remove", [TypeMask.blob, TypeMask.int]) { a, _ throws(RhaiError) in
            let k0 = a[1].i
            return try withBlob(&a[0]) { b in
                let k = k0 < 0 ? Int64(b.count) + k0 : k0
                guard k >= 0 && k < b.count else { return .int(0) }
                return .int(Int64(b.remove(at: Int(k))))
            }
        }
        t.add("pad", [TypeMask.blob, TypeMask.int, TypeMask.int]) { a, i throws(RhaiError) in
            let n = Int(max(0, min(a[1].i, Int64(Int32.max))))
            try i.checkGrowth(count: n)
            let v = UInt8(truncatingIfNeeded: a[2].i)
            try withBlob(&a[0]) { b in if b.count < n { b += Array(repeating: v, count: n - b.count) } }
            return .unit
        }
        t.add("reverse", [TypeMask.blob]) { a, _ throws(RhaiError) in try withBlob(&a[0]) { $0.reverse() }; return .unit }
        t.add("truncate", [TypeMask.blob, TypeMask.int]) { a, _ throws(RhaiError) in
            let n = Int(max(0, min(a[1].i, Int64(Int.max))))
            try withBlob(&a[0]) { b in if n < b.count { b.removeLast(b.count - n) } }
            return .unit
        }
        t.add("chop", [TypeMask.blob, TypeMask.int]) { a, _ throws(RhaiError) in
            let n = Int(max(0, min(a[1].i, Int64(Int.max))))
            try withBlob(&a[0]) { b in if n < b.count { b.removeFirst(b.count - n) } }
            return .unit
        }
        t.add("split", [TypeMask.blob, TypeMask.int]) { a, _ throws(RhaiError) in
            let k = a[1].i
            return try withBlob(&a[0]) { b in
                let (s, _) = bounds(k, nil, b.count)
                let tail = Array(b[s...])
                b.removeLast(b.count - s)
                return .blob(tail)
            }
        }
        t.add("extract", [TypeMask.blob, TypeMask.int]) { a, _ in
            guard case .blob(let b) = a[0] else { return .unit }
            let (s, e) = bounds(a[1].i, nil, b.count)
            return .blob(Array(b[s..<e]))
        }
        let extract: NativeBody = { a, _ in
            guard case .blob(let b) = a[0] else { return .unit }
            let (s, e) = span(a, 1, b.count)
            return .blob(Array(b[s..<e]))
        }
        t.add("extract", [TypeMask.blob, TypeMask.int, TypeMask.int], extract)
        t.add("extract", [TypeMask.blob, TypeMask.range], extract)
        let drain: NativeBody = { a, _ throws(RhaiError) in
            let args = a
            return try withBlob(&a[0]) { b in
                let (s, e) = span(args, 1, b.count)
                let out = Array(b[s..<e])
                b.removeSubrange(s..<e)
                return .blob(out)
            }
        }
        t.add("drain", [TypeMask.blob, TypeMask.int, TypeMask.int], drain)
        t.add("drain", [TypeMask.blob, TypeMask.range], drain)
        let retain: NativeBody = { a, _ throws(RhaiError) in
            let args = a
            return try withBlob(&a[0]) { b in
                let (s, e) = span(args, 1, b.count)
                let removed = Array(b[..<s] + b[e...])
                b = Array(b[s..<e])
                return .blob(removed)
            }
        }
        t.add("retain", [TypeMask.blob, TypeMask.int, TypeMask.int], retain)
        t.add("retain", [TypeMask.blob, TypeMask.range], retain)
        let splice: NativeBody = { a, _ throws(RhaiError) in
            let args = a
            guard case .blob(let replacement) = args[args.count - 1] else { return .unit }
            try withBlob(&a[0]) { b in
                let (s, e) = span(args, 1, b.count)
                b.replaceSubrange(s..<e, with: replacement)
            }
            return .unit
        }
        t.add("splice", [TypeMask.blob, TypeMask.int, TypeMask.int, TypeMask.blob], splice)
        t.add("splice", [TypeMask.blob, TypeMask.range, TypeMask.blob], splice)
        for littleEndian in [true, false] {
            let order = littleEndian ? "le" : "be"
            let parseInt: NativeBody = { a, _ in
                guard case .blob(let b) = a[0] else { return .unit }
                let (s, e) = span(a, 1, b.count)
                return .int(Int64(bitPattern: parseBytes(b[s..<e], littleEndian: littleEndian)))
            }
            let parseFloat: NativeBody = { a, _ in
                guard case .blob(let b) = a[0] else { return .unit }
                let (s, e) = span(a, 1, b.count)
                return .float(Double(bitPattern: parseBytes(b[s..<e], littleEndian: littleEndian)))
            }
            let write: NativeBody = { a, _ throws(RhaiError) in
                let args = a
                let bits: UInt64
                switch args[args.count - 1] {
                case .int(let v): bits = UInt64(bitPattern: v)
                case .float(let v): bits = v.bitPattern
                default: return .unit
                }
                try withBlob(&a[0]) { b in
                    let (s, e) = span(args, 1, b.count)
                    let bytes = valueBytes(bits, littleEndian: littleEndian)
                    for k in s..<min(e, s + 8) { b[k] = bytes[k - s] }
                }
                return .unit
            }
            t.add("parse_\(order)_int", [TypeMask.blob, TypeMask.int, TypeMask.int], parseInt)
            t.add("parse_\(order)_int", [TypeMask.blob, TypeMask.range], parseInt)
            t.add("parse_\(order)_float", [TypeMask.blob, TypeMask.int, TypeMask.int], parseFloat)
            t.add("parse_\(order)_float", [TypeMask.blob, TypeMask.range], parseFloat)
            t.add("write_\(order)", [TypeMask.blob, TypeMask.int, TypeMask.int, TypeMask.num], write)
            t.add("write_\(order)", [TypeMask.blob, TypeMask.range, TypeMask.num], write)
        }
        for ascii in [true, false] {
            let write: NativeBody = { a, _ throws(RhaiError) in
                let args = a
                guard case .string(let text) = args[args.count - 1] else { return .unit }
                let bytes = ascii ? text.unicodeScalars.filter(\.isASCII).map { UInt8($0.value) } : Array(text.utf8)
                try withBlob(&a[0]) { b in
                    let (s, e) = span(args, 1, b.count)
                    for k in s..<min(e, s + bytes.count) { b[k] = bytes[k - s] }
                }
                return .unit
            }
            t.add(ascii ? "write_ascii" : "write_utf8", [TypeMask.blob, TypeMask.int, TypeMask.int, TypeMask.string], write)
            t.add(ascii ? "write_ascii" : "write_utf8", [TypeMask.blob, TypeMask.range, TypeMask.string], write)
        }
        t.add("as_string", [TypeMask.blob]) { a, _ throws(RhaiError) in
            guard case .blob(let b) = a[0] else { return .unit }
            guard let s = String(validating: b, as: UTF8.self) else {
                throw RhaiError(.runtime, "BLOB is not valid UTF-8")
            }
            return .string(s)
        }
        t.add("to_array", [TypeMask.blob]) { a, _ in
            if case .blob(let b) = a[0] { return .array(b.map { .int(Int64($0)) }) }
            return .unit
        }
    }
}
