extension Library {
    /// The position an index names in `count` elements, as Rhai's `calc_offset_len` finds it: a
    /// negative index counts from the end and stops at the first element; `count` means past the end.
    static func offset(_ index: Int64, _ count: Int) -> Int {
        if index < 0 { return index < -Int64(count) ? 0 : count + Int(index) }
        return index >= Int64(count) ? count : Int(index)
    }

    /// The type a value has for `sort()`: Rhai sorts only arrays whose elements all have one type.
    private static func sortType(_ v: Dynamic) -> Int {
        switch v.plain {
        case .unit: 0
        case .bool: 1
        case .int: 2
        case .float: 3
        case .char: 4
        case .string: 5
        case .array: 6
        case .map: 7
        case .blob: 8
        case .fnPtr: 9
        case .timestamp: 10
        case .range(_, _, let inclusive): inclusive ? 12 : 11
        default: 13
        }
    }

    /// `sort()` as Rhai's `sort_with_builtin`: elements of different types are an error; integers,
    /// floats, characters, strings and booleans are sorted; any other single type is left as it is.
    static func sortBuiltin(_ arr: inout [Dynamic]) throws(RhaiError) {
        guard arr.count > 1 else { return }
        let type = sortType(arr[0])
        for v in arr {
            if case .int = v, type == 2 { continue }
            if sortType(v) != type { throw RhaiError(.functionNotFound, "sort() cannot be called with elements of different types") }
        }
        switch type {
        case 2:
            arr.sort { x, y in
                if case .int(let a) = x, case .int(let b) = y { return a < b }
                if case .int(let a) = x.plain, case .int(let b) = y.plain { return a < b }
                return false
            }
        case 1, 3, 4, 5: arr.sort { x, y in lessForSort(x.plain, y.plain) }
        default: return
        }
    }

    private static func lessForSort(_ x: Dynamic, _ y: Dynamic) -> Bool {
        switch (x, y) {
        case (.string(let a), .string(let b)): return a < b
        case (.char(let a), .char(let b)): return a.value < b.value
        case (.bool(let a), .bool(let b)): return !a && b
        case (.float(let a), .float(let b)): return a < b
        default: return false
        }
    }

    static func arrays(_ t: inout NativeTable) {
        t.add("len", [TypeMask.array]) { a, _ in .int(Int64(a[0].arr.count)) }
        t.add("is_empty", [TypeMask.array]) { a, _ in .bool(a[0].arr.isEmpty) }
        t.add("push", [TypeMask.array, TypeMask.any]) { a, i throws(RhaiError) in
            let v = a[1]
            try withArray(&a[0]) { $0.append(v) }
            return .unit
        }
        t.add("append", [TypeMask.array, TypeMask.any]) { a, _ throws(RhaiError) in
            let v = a[1]
            try withArray(&a[0]) { if case .array(let b) = v.plain { $0 += b } else { $0.append(v) } }
            return .unit
        }
        t.add("+=", [TypeMask.array, TypeMask.any]) { a, _ throws(RhaiError) in
            let v = a[1]
            try withArray(&a[0]) { if case .array(let b) = v.plain { $0 += b } else { $0.append(v) } }
            return .unit
        }
        t.add("pop", [TypeMask.array]) { a, _ throws(RhaiError) in try withArray(&a[0]) { $0.popLast() ?? .unit } }
        t.add("shift", [TypeMask.array]) { a, _ throws(RhaiError) in try withArray(&a[0]) { $0.isEmpty ? .unit : $0.removeFirst() } }
        t.add("clear", [TypeMask.array]) { a, _ in a[0] = .array([]); return .unit }
        t.add("insert", [TypeMask.array, TypeMask.int, TypeMask.any]) { a, _ throws(RhaiError) in
            let (k, v) = (a[1].i, a[2])
            try withArray(&a[0]) { arr in
                let idx = k < 0 ? max(0, Int64(arr.count) + k) : min(k, Int64(arr.count))
                arr.insert(v, at: Int(idx))
            }
            return .unit
        }
        t.add("remove", [TypeMask.array, TypeMask.int]) { a, _ throws(RhaiError) in
            let k = a[1].i
            return try withArray(&a[0]) { arr in
                let idx = k < 0 ? Int64(arr.count) + k : k
                guard idx >= 0 && idx < arr.count else { return .unit }
                return arr.remove(at: Int(idx))
            }
        }
        t.add("truncate", [TypeMask.array, TypeMask.int]) { a, _ throws(RhaiError) in
            let n = Int(max(0, a[1].i))
            try withArray(&a[0]) { if n < $0.count { $0.removeLast($0.count - n) } }
            return .unit
        }
        // keeps the last `len` elements
        t.add("chop", [TypeMask.array, TypeMask.int]) { a, _ throws(RhaiError) in
            let n = Int(max(0, min(a[1].i, Int64(Int.max))))
            try withArray(&a[0]) { if n < $0.count { $0.removeFirst($0.count - n) } }
            return .unit
        }
        t.add("reverse", [TypeMask.array]) { a, _ throws(RhaiError) in try withArray(&a[0]) { $0.reverse() }; return .unit }
        t.add("pad", [TypeMask.array, TypeMask.int, TypeMask.any]) { a, i throws(RhaiError) in
            let n = Int(max(0, min(a[1].i, Int64(Int32.max))))
            try i.checkGrowth(count: n)
            let v = a[2]
            try withArray(&a[0]) { if $0.count < n { $0.append(contentsOf: repeatElement(v, count: n - $0.count)) } }
            return .unit
        }
        t.add("get", [TypeMask.array, TypeMask.int]) { a, _ in
            let arr = a[0].arr
            let k = Library.offset(a[1].i, arr.count)
            return k < arr.count ? arr[k] : .unit
        }
        t.add("set", [TypeMask.array, TypeMask.int, TypeMask.any]) { a, _ throws(RhaiError) in
            let (k0, v) = (a[1].i, a[2])
            try withArray(&a[0]) { arr in
                let k = Library.offset(k0, arr.count)
                if k < arr.count { arr[k] = v }
            }
            return .unit
        }
        t.add("extract", [TypeMask.array, TypeMask.int]) { a, _ in
            let arr = a[0].arr
            let (s, e) = bounds(a[1].i, nil, arr.count)
            return .array(Array(arr[s..<e]))
        }
        t.add("extract", [TypeMask.array, TypeMask.int, TypeMask.int]) { a, _ in
            let arr = a[0].arr
            let (s, e) = bounds(a[1].i, a[2].i, arr.count)
            return .array(Array(arr[s..<e]))
        }
        t.add("extract", [TypeMask.array, TypeMask.range]) { a, _ in
            guard case .range(let lo, let hi, let inc) = a[1] else { return .unit }
            let arr = a[0].arr
            let (s, e) = Access.clampRange(lo, inc ? hi &+ (hi == .max ? 0 : 1) : hi, arr.count)
            return .array(Array(arr[s..<e]))
        }
        t.add("split", [TypeMask.array, TypeMask.int]) { a, _ throws(RhaiError) in
            let k = a[1].i
            return try withArray(&a[0]) { arr in
                let (s, _) = bounds(k, nil, arr.count)
                let tail = Array(arr[s...])
                arr.removeLast(arr.count - s)
                return .array(tail)
            }
        }
        t.add("splice", [TypeMask.array, TypeMask.int, TypeMask.int, TypeMask.array]) { a, _ throws(RhaiError) in
            let (st, len, repl) = (a[1].i, a[2].i, a[3].arr)
            try withArray(&a[0]) { arr in
                let (s, e) = bounds(st, len, arr.count)
                arr.replaceSubrange(s..<e, with: repl)
            }
            return .unit
        }
        t.add("drain", [TypeMask.array, TypeMask.int, TypeMask.int]) { a, _ throws(RhaiError) in
            let (st, len) = (a[1].i, a[2].i)
            return try withArray(&a[0]) { arr in
                let (s, e) = bounds(st, len, arr.count)
                let out = Array(arr[s..<e])
                arr.removeSubrange(s..<e)
                return .array(out)
            }
        }
        t.add("drain", [TypeMask.array, TypeMask.fn | TypeMask.string]) { a, i throws(RhaiError) in
            let fp = a[1].fp
            var arr = a[0].arr
            a[0] = .unit
            var kept: [Dynamic] = [], removed: [Dynamic] = []
            defer { a[0] = .array(kept) }
            for (k, v) in arr.enumerated() {
                if try i.predicate(fp, v, k) { removed.append(v) } else { kept.append(v) }
            }
            arr = []
            return .array(removed)
        }
        t.add("retain", [TypeMask.array, TypeMask.fn | TypeMask.string]) { a, i throws(RhaiError) in
            let fp = a[1].fp
            let arr = a[0].arr
            var kept: [Dynamic] = [], removed: [Dynamic] = []
            for (k, v) in arr.enumerated() {
                if try i.predicate(fp, v, k) { kept.append(v) } else { removed.append(v) }
            }
            a[0] = .array(kept)
            return .array(removed)
        }
        t.add("contains", [TypeMask.array, TypeMask.any]) { a, _ in .bool(a[0].arr.contains(a[1])) }
        t.add("index_of", [TypeMask.array, TypeMask.any]) { a, i throws(RhaiError) in
            if isFilter(a[1], i) {
                let fp = a[1].fp
                for (k, v) in a[0].arr.enumerated() where try i.predicate(fp, v, k) { return .int(Int64(k)) }
                return .int(-1)
            }
            return .int(Int64(a[0].arr.firstIndex(of: a[1]) ?? -1))
        }
        t.add("index_of", [TypeMask.array, TypeMask.any, TypeMask.int]) { a, i throws(RhaiError) in
            let arr = a[0].arr
            let (s, _) = bounds(a[2].i, nil, arr.count)
            let filter = isFilter(a[1], i)
            for k in s..<arr.count {
                if filter { if try i.predicate(a[1].fp, arr[k], k) { return .int(Int64(k)) } }
                else if arr[k] == a[1] { return .int(Int64(k)) }
            }
            return .int(-1)
        }
        let find: NativeBody = { a, i throws(RhaiError) in
            let arr = a[0].arr
            let (s, _) = a.count > 2 ? bounds(a[2].i, nil, arr.count) : (0, arr.count)
            for k in s..<arr.count where try i.predicate(a[1].fp, arr[k], k) { return arr[k] }
            return .unit
        }
        t.add("find", [TypeMask.array, TypeMask.fn | TypeMask.string], find)
        t.add("find", [TypeMask.array, TypeMask.fn | TypeMask.string, TypeMask.int], find)
        let findMap: NativeBody = { a, i throws(RhaiError) in
            let arr = a[0].arr
            let (s, _) = a.count > 2 ? bounds(a[2].i, nil, arr.count) : (0, arr.count)
            for k in s..<arr.count {
                let r = try i.callback(a[1].fp, arr[k], k)
                if !r.isUnit { return r }
            }
            return .unit
        }
        t.add("find_map", [TypeMask.array, TypeMask.fn | TypeMask.string], findMap)
        t.add("find_map", [TypeMask.array, TypeMask.fn | TypeMask.string, TypeMask.int], findMap)
        // keeps a portion, returning the other elements
        let retainSpan: NativeBody = { a, _ throws(RhaiError) in
            let args = a
            return try withArray(&a[0]) { arr in
                let (s, e) = span(args, 1, arr.count)
                if e <= s { return .array([]) }  // an empty span keeps everything (retain_range)
                let removed = Array(arr[..<s] + arr[e...])
                arr = Array(arr[s..<e])
                return .array(removed)
            }
        }
        t.add("retain", [TypeMask.array, TypeMask.int, TypeMask.int], retainSpan)
        t.add("retain", [TypeMask.array, TypeMask.range], retainSpan)
        t.add("map", [TypeMask.array, TypeMask.fn | TypeMask.string]) { a, i throws(RhaiError) in
            var out: [Dynamic] = []
            out.reserveCapacity(a[0].arr.count)
            var held = 0
            defer { i.pinned -= held }
            for (k, v) in a[0].arr.enumerated() {
                let r = try i.callback(a[1].fp, v, k)
                let n = r.freshBytes
                held += n
                i.pinned += n
                out.append(r)
            }
            return .array(out)
        }
        t.add("for_each", [TypeMask.array, TypeMask.fn | TypeMask.string]) { a, i throws(RhaiError) in
            let fp = a[1].fp
            try withArray(&a[0]) { arr throws(RhaiError) in
                for k in arr.indices {
                    var this = arr[k]
                    arr[k] = .unit
                    defer { arr[k] = this }
                    _ = try i.call(fp, this: &this, args: fp.function.map { $0.paramCount - fp.curried.count } == 1 ? [.int(Int64(k))] : [], pos: .none)
                }
            }
            return .unit
        }
        t.add("filter", [TypeMask.array, TypeMask.fn | TypeMask.string]) { a, i throws(RhaiError) in
            var out: [Dynamic] = []
            for (k, v) in a[0].arr.enumerated() where try i.predicate(a[1].fp, v, k) { out.append(v) }
            return .array(out)
        }
        t.add("some", [TypeMask.array, TypeMask.fn | TypeMask.string]) { a, i throws(RhaiError) in
            for (k, v) in a[0].arr.enumerated() where try i.predicate(a[1].fp, v, k) { return .bool(true) }
            return .bool(false)
        }
        t.add("all", [TypeMask.array, TypeMask.fn | TypeMask.string]) { a, i throws(RhaiError) in
            for (k, v) in a[0].arr.enumerated() where !(try i.predicate(a[1].fp, v, k)) { return .bool(false) }
            return .bool(true)
        }
        let reduce: NativeBody = { a, i throws(RhaiError) in
            var acc = a.count > 2 ? a[2] : .unit
            for (k, v) in a[0].arr.enumerated() { acc = try i.accumulate(a[1].fp, acc, v, k) }
            return acc
        }
        t.add("reduce", [TypeMask.array, TypeMask.fn | TypeMask.string], reduce)
        t.add("reduce", [TypeMask.array, TypeMask.fn | TypeMask.string, TypeMask.any], reduce)
        let reduceRev: NativeBody = { a, i throws(RhaiError) in
            var acc = a.count > 2 ? a[2] : .unit
            for (k, v) in a[0].arr.enumerated().reversed() { acc = try i.accumulate(a[1].fp, acc, v, k) }
            return acc
        }
        t.add("reduce_rev", [TypeMask.array, TypeMask.fn | TypeMask.string], reduceRev)
        t.add("reduce_rev", [TypeMask.array, TypeMask.fn | TypeMask.string, TypeMask.any], reduceRev)
        t.add("sort", [TypeMask.array]) { a, i throws(RhaiError) in
            var arr = a[0].arr
            try i.work(arr.count * (Int.bitWidth - arr.count.leadingZeroBitCount) / 4)
            a[0] = .unit
            defer { a[0] = .array(arr) }
            try sortBuiltin(&arr)
            return .unit
        }
        t.add("sort", [TypeMask.array, TypeMask.fn | TypeMask.string]) { a, i throws(RhaiError) in
            var arr = a[0].arr
            let fp = a[1].fp
            var failure: RhaiError? = nil
            arr.sort { x, y in
                if failure != nil { return false }
                do throws(RhaiError) {
                    let r = try i.call(fp, [x, y])
                    if case .int(let n) = r { return n < 0 }
                    if case .bool(let b) = r { return b }
                    throw RhaiError(.mismatchDataType, "Data type incorrect: \(r.typeName) (expecting i64)")
                } catch { failure = error; return false }
            }
            if let failure { throw failure }
            a[0] = .array(arr)
            return .unit
        }
        t.add("dedup", [TypeMask.array, TypeMask.fn | TypeMask.string]) { a, i throws(RhaiError) in
            var out: [Dynamic] = []
            for v in a[0].arr {
                if let last = out.last, try i.call(a[1].fp, [last, v]) == .bool(true) { continue }
                out.append(v)
            }
            a[0] = .array(out)
            return .unit
        }
        t.add("drain", [TypeMask.array, TypeMask.range]) { a, _ throws(RhaiError) in
            guard case .range(let lo, let hi, let inc) = a[1] else { return .unit }
            return try withArray(&a[0]) { arr in
                let (s, e) = Access.clampRange(lo, inc ? hi &+ (hi == .max ? 0 : 1) : hi, arr.count)
                let out = Array(arr[s..<e])
                arr.removeSubrange(s..<e)
                return .array(out)
            }
        }
        t.add("splice", [TypeMask.array, TypeMask.range, TypeMask.array]) { a, _ throws(RhaiError) in
            guard case .range(let lo, let hi, let inc) = a[1] else { return .unit }
            let repl = a[2].arr
            try withArray(&a[0]) { arr in
                let (s, e) = Access.clampRange(lo, inc ? hi &+ (hi == .max ? 0 : 1) : hi, arr.count)
                arr.replaceSubrange(s..<e, with: repl)
            }
            return .unit
        }
        t.add("dedup", [TypeMask.array]) { a, _ throws(RhaiError) in
            try withArray(&a[0]) { arr in
                var out: [Dynamic] = []
                for v in arr where out.last != v { out.append(v) }
                arr = out
            }
            return .unit
        }
        t.add("zip", [TypeMask.array, TypeMask.array, TypeMask.fn | TypeMask.string]) { a, i throws(RhaiError) in
            var out: [Dynamic] = []
            var held = 0
            defer { i.pinned -= held }
            for (x, y) in zip(a[0].arr, a[1].arr) {
                let r = try i.call(a[2].fp, [x, y])
                let n = r.freshBytes
                held += n
                i.pinned += n
                out.append(r)
            }
            return .array(out)
        }
        t.add("==", [TypeMask.array, TypeMask.array]) { a, _ in .bool(a[0] == a[1]) }
    }

    /// Whether `index_of` searches with a predicate: a function pointer, or a string naming a script
    /// function (`x.index_of("is_special")`); any other string is a value to find (`x.index_of("foo")`).
    static func isFilter(_ v: Dynamic, _ i: Interp) -> Bool {
        switch v {
        case .fnPtr: return true
        case .string(let name): return i.program.functions[name] != nil
        default: return false
        }
    }

    /// How many arguments a function pointer takes (capped at `max`).
    static func arity(_ fp: FnPtr, _ i: Interp, _ max: Int) -> Int {
        if let f = fp.function { return f.paramCount - fp.curried.count }
        for n in 1...max where i.program.scriptFunction(fp.name, arity: fp.curried.count + n) != nil { return n }
        return 2
    }
}
