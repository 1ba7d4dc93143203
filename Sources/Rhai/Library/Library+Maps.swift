extension Library {
    static func maps(_ t: inout NativeTable) {
        t.add("len", [TypeMask.map]) { a, _ in .int(Int64(a[0].m.count)) }
        t.add("is_empty", [TypeMask.map]) { a, _ in .bool(a[0].m.isEmpty) }
        t.add("keys", [TypeMask.map]) { a, _ in .array(a[0].m.keys.sorted().map { .string($0) }) }
        t.add("values", [TypeMask.map]) { a, _ in let m = a[0].m; return .array(m.keys.sorted().map { m[$0]! }) }
        t.add("contains", [TypeMask.map, TypeMask.string | TypeMask.char]) { a, _ in .bool(a[0].m[a[1].text] != nil) }
        t.add("get", [TypeMask.map, TypeMask.string | TypeMask.char]) { a, _ in a[0].m[a[1].text] ?? .unit }
        t.add("set", [TypeMask.map, TypeMask.string | TypeMask.char, TypeMask.any]) { a, i throws(RhaiError) in
            let (k, v) = (a[1].text, a[2])
            try withMap(&a[0]) { $0[k] = v }
            return .unit
        }
        t.add("remove", [TypeMask.map, TypeMask.string | TypeMask.char]) { a, _ throws(RhaiError) in
            let k = a[1].text
            return try withMap(&a[0]) { $0.removeValue(forKey: k) ?? .unit }
        }
        t.add("clear", [TypeMask.map]) { a, _ in a[0] = .map([:]); return .unit }
        t.add("mixin", [TypeMask.map, TypeMask.map]) { a, _ throws(RhaiError) in
            let o = a[1].m
            try withMap(&a[0]) { $0.merge(o) { $1 } }
            return .unit
        }
        t.add("fill_with", [TypeMask.map, TypeMask.map]) { a, _ throws(RhaiError) in
            let o = a[1].m
            try withMap(&a[0]) { $0.merge(o) { old, _ in old } }
            return .unit
        }
        // the callbacks below run in key order (Rhai's maps are sorted)
        t.add("filter", [TypeMask.map, TypeMask.fn]) { a, i throws(RhaiError) in
            let m = a[0].m
            var out: [String: Dynamic] = [:]
            for k in m.keys.sorted() where try i.keyed(a[1].fp, k, m[k]!) == .bool(true) { out[k] = m[k]! }
            return .map(out)
        }
        t.add("map", [TypeMask.map, TypeMask.fn]) { a, i throws(RhaiError) in
            let m = a[0].m
            var out: [String: Dynamic] = [:]
            var held = 0
            defer { i.pinned -= held }
            for k in m.keys.sorted() {
                let r = try i.keyed(a[1].fp, k, m[k]!)
                let n = r.freshBytes
                held += n
                i.pinned += n
                out[k] = r
            }
            return .map(out)
        }
        t.add("drain", [TypeMask.map, TypeMask.fn]) { a, i throws(RhaiError) in
            let (matching, rest) = try partition(a[0].m, by: a[1].fp, i)
            a[0] = .map(rest)
            return .map(matching)
        }
        t.add("retain", [TypeMask.map, TypeMask.fn]) { a, i throws(RhaiError) in
            let (matching, rest) = try partition(a[0].m, by: a[1].fp, i)
            a[0] = .map(matching)
            return .map(rest)
        }
        // Rhai's parse_json (default features) reads a JSON object into a map: anything else at the top
        // is the wrong output type, malformed text a parse error
        t.add("parse_json", [TypeMask.string]) { a, _ throws(RhaiError) in
            let v: Dynamic
            do throws(RhaiError) { v = try Dynamic.parseJSON(a[0].s) } catch { throw RhaiError(.parsing, error.message) }
            guard case .map = v else {
                throw RhaiError(.mismatchOutputType, "Output type incorrect: \(v.typeName) (expecting map)")
            }
            return v
        }
        t.add("==", [TypeMask.map, TypeMask.map]) { a, _ in .bool(a[0] == a[1]) }
    }

    /// The properties of `m` for which `fp` (a key-only or key-and-value callback, in key order) gives
    /// `true`, and the others.
    private static func partition(_ m: [String: Dynamic], by fp: FnPtr, _ i: Interp) throws(RhaiError)
        -> (matching: [String: Dynamic], rest: [String: Dynamic]) {
        var matching: [String: Dynamic] = [:], rest: [String: Dynamic] = [:]
        for k in m.keys.sorted() {
            if try i.keyed(fp, k, m[k]!) == .bool(true) { matching[k] = m[k]! } else { rest[k] = m[k]! }
        }
        return (matching, rest)
    }
}
