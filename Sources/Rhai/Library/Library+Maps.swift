extension Library {
    static func maps(_ t: inout NativeTable) {
        t.add("len", [T.map]) { a, _ in .int(Int64(a[0].m.count)) }
        t.add("is_empty", [T.map]) { a, _ in .bool(a[0].m.isEmpty) }
        t.add("keys", [T.map]) { a, _ in .array(a[0].m.keys.sorted().map { .string($0) }) }
        t.add("values", [T.map]) { a, _ in let m = a[0].m; return .array(m.keys.sorted().map { m[$0]! }) }
        t.add("contains", [T.map, T.string | T.char]) { a, _ in .bool(a[0].m[a[1].text] != nil) }
        t.add("get", [T.map, T.string | T.char]) { a, _ in a[0].m[a[1].text] ?? .unit }
        t.add("set", [T.map, T.string | T.char, T.any]) { a, i throws(RhaiError) in
            let (k, v) = (a[1].text, a[2])
            try withMap(&a[0]) { $0[k] = v }
            return .unit
        }
        t.add("remove", [T.map, T.string | T.char]) { a, _ throws(RhaiError) in
            let k = a[1].text
            return try withMap(&a[0]) { $0.removeValue(forKey: k) ?? .unit }
        }
        t.add("clear", [T.map]) { a, _ in a[0] = .map([:]); return .unit }
        t.add("mixin", [T.map, T.map]) { a, _ throws(RhaiError) in
            let o = a[1].m
            try withMap(&a[0]) { $0.merge(o) { $1 } }
            return .unit
        }
        t.add("fill_with", [T.map, T.map]) { a, _ throws(RhaiError) in
            let o = a[1].m
            try withMap(&a[0]) { $0.merge(o) { old, _ in old } }
            return .unit
        }
        t.add("filter", [T.map, T.fn]) { a, i throws(RhaiError) in
            var out: [String: Dynamic] = [:]
            for (k, v) in a[0].m where try i.call(a[1].fp, [.string(k), v]) == .bool(true) { out[k] = v }
            return .map(out)
        }
        t.add("drain", [T.map, T.fn]) { a, i throws(RhaiError) in
            var kept: [String: Dynamic] = [:], removed: [String: Dynamic] = [:]
            for (k, v) in a[0].m {
                if try i.call(a[1].fp, [.string(k), v]) == .bool(true) { removed[k] = v } else { kept[k] = v }
            }
            a[0] = .map(kept)
            return .map(removed)
        }
        t.add("retain", [T.map, T.fn]) { a, i throws(RhaiError) in
            var kept: [String: Dynamic] = [:], removed: [String: Dynamic] = [:]
            for (k, v) in a[0].m {
                if try i.call(a[1].fp, [.string(k), v]) == .bool(true) { kept[k] = v } else { removed[k] = v }
            }
            a[0] = .map(kept)
            return .map(removed)
        }
        t.add("==", [T.map, T.map]) { a, _ in .bool(a[0] == a[1]) }
    }

    static func blobs(_ t: inout NativeTable) {
        t.add("blob", []) { _, _ in .blob([]) }
        t.add("blob", [T.int]) { a, i throws(RhaiError) in
            try i.checkGrowth(count: Int(max(0, min(a[0].i, Int64(Int32.max)))))
            return .blob(Array(repeating: 0, count: Int(max(0, a[0].i))))
        }
        t.add("blob", [T.int, T.int]) { a, i throws(RhaiError) in
            try i.checkGrowth(count: Int(max(0, min(a[0].i, Int64(Int32.max)))))
            return .blob(Array(repeating: UInt8(truncatingIfNeeded: a[1].i), count: Int(max(0, a[0].i))))
        }
        let blobOps: [(String, [UInt16], NativeBody)] = [
            ("append", [T.blob, T.blob | T.int | T.string | T.char], { a, _ throws(RhaiError) in
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
            }),
            ("pop", [T.blob], { a, _ throws(RhaiError) in try withBlob(&a[0]) { b in b.popLast().map { .int(Int64($0)) } ?? .unit } }),
            ("clear", [T.blob], { a, _ in a[0] = .blob([]); return .unit }),
            ("contains", [T.blob, T.int], { a, _ in
                guard case .blob(let b) = a[0] else { return .unit }
                return .bool(b.contains { Int64($0) == a[1].i })
            }),
            ("get", [T.blob, T.int], { a, _ in
                guard case .blob(let b) = a[0] else { return .unit }
                let k = a[1].i < 0 ? Int64(b.count) + a[1].i : a[1].i
                return k >= 0 && k < b.count ? .int(Int64(b[Int(k)])) : .int(0)
            }),
            ("set", [T.blob, T.int, T.int], { a, _ throws(RhaiError) in
                let (k0, v) = (a[1].i, UInt8(truncatingIfNeeded: a[2].i))
                try withBlob(&a[0]) { b in
                    let k = k0 < 0 ? Int64(b.count) + k0 : k0
                    if k >= 0 && k < b.count { b[Int(k)] = v }
                }
                return .unit
            }),
            ("insert", [T.blob, T.int, T.int], { a, _ throws(RhaiError) in
                let (k, v) = (a[1].i, UInt8(truncatingIfNeeded: a[2].i))
                try withBlob(&a[0]) { b in
                    let idx = k < 0 ? max(0, Int64(b.count) + k) : min(k, Int64(b.count))
                    b.insert(v, at: Int(idx))
                }
                return .unit
            }),
            ("pad", [T.blob, T.int, T.int], { a, i throws(RhaiError) in
                let n = Int(max(0, min(a[1].i, Int64(Int32.max))))
                try i.checkGrowth(count: n)
                let v = UInt8(truncatingIfNeeded: a[2].i)
                try withBlob(&a[0]) { b in if b.count < n { b += Array(repeating: v, count: n - b.count) } }
                return .unit
            }),
            ("reverse", [T.blob], { a, _ throws(RhaiError) in try withBlob(&a[0]) { $0.reverse() }; return .unit }),
            ("truncate", [T.blob, T.int], { a, _ throws(RhaiError) in
                let n = Int(max(0, a[1].i))
                try withBlob(&a[0]) { b in if n < b.count { b.removeLast(b.count - n) } }
                return .unit
            }),
            ("extract", [T.blob, T.int, T.int], { a, _ in
                guard case .blob(let b) = a[0] else { return .unit }
                let (s, e) = bounds(a[1].i, a[2].i, b.count)
                return .blob(Array(b[s..<e]))
            }),
        ]
        for (name, types, body) in blobOps { t.add(name, types, body) }
        t.add("len", [T.blob]) { a, _ in if case .blob(let b) = a[0] { return .int(Int64(b.count)) }; return .unit }
        t.add("is_empty", [T.blob]) { a, _ in if case .blob(let b) = a[0] { return .bool(b.isEmpty) }; return .unit }
        t.add("push", [T.blob, T.int]) { a, _ throws(RhaiError) in
            let v = UInt8(truncatingIfNeeded: a[1].i)
            try withBlob(&a[0]) { $0.append(v) }
            return .unit
        }
        t.add("as_string", [T.blob]) { a, _ in
            if case .blob(let b) = a[0] { return .string(String(decoding: b, as: UTF8.self)) }
            return .unit
        }
        t.add("to_array", [T.blob]) { a, _ in
            if case .blob(let b) = a[0] { return .array(b.map { .int(Int64($0)) }) }
            return .unit
        }
    }
}
