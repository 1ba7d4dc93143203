/// Reading elements and properties.
enum Access {
    static func arrayIndex(_ n: Int64, _ count: Int, _ pos: Pos) throws(RhaiError) -> Int {
        let idx = n < 0 ? Int64(count) + n : n
        guard idx >= 0 && idx < Int64(count) else {
            throw RhaiError(.arrayBounds, "Array index \(n) out of bounds: only \(count) elements", at: pos)
        }
        return Int(idx)
    }

    static func stringIndex(_ n: Int64, _ count: Int, _ pos: Pos) throws(RhaiError) -> Int {
        let idx = n < 0 ? Int64(count) + n : n
        guard idx >= 0 && idx < Int64(count) else {
            throw RhaiError(.stringBounds, "String index \(n) out of bounds: only \(count) characters", at: pos)
        }
        return Int(idx)
    }

    static func bitIndex(_ n: Int64, _ pos: Pos) throws(RhaiError) -> Int64 {
        let idx = n < 0 ? 64 + n : n
        guard idx >= 0 && idx < 64 else {
            throw RhaiError(.bitFieldBounds, "Bit-field index \(n) out of bounds: only 64 bits", at: pos)
        }
        return idx
    }

    /// An index of the wrong type for an array, BLOB, string, bit-field (`i64`) or object map (`string`):
    /// a data type mismatch, as Rhai's `get_indexed_mut` reports it.
    static func indexMismatch(_ key: Dynamic, expecting: String, _ pos: Pos) -> RhaiError {
        RhaiError(.mismatchDataType, "Data type incorrect: \(key.typeName) (expecting \(expecting))", at: pos)
    }

    static func mapKey(_ key: Dynamic, _ pos: Pos) throws(RhaiError) -> String {
        switch key {
        case .string(let s): return s
        default: throw indexMismatch(key, expecting: "string", pos)
        }
    }

    /// `b[k]`. A tagged value or index works as its value: indexing fails on it, and runs again untagged.
    static func index(_ b: Dynamic, _ k: Dynamic, _ pos: Pos) throws(RhaiError) -> Dynamic {
        do throws(RhaiError) {
            return try indexValue(b, k, pos)
        } catch {
            guard error.kind == .indexingType || error.kind == .mismatchDataType, b.isTagged || k.isTagged else { throw error }
            return try indexValue(b.plain, k.plain, pos)
        }
    }

    private static func indexValue(_ b: Dynamic, _ k: Dynamic, _ pos: Pos) throws(RhaiError) -> Dynamic {
        switch b {
        case .array(let a):
            if case .int(let n) = k { return a[try arrayIndex(n, a.count, pos)] }
            throw indexMismatch(k, expecting: "i64", pos)
        case .map(let m):
            return m[try mapKey(k, pos)] ?? .unit
        case .string(let s):
            if case .int(let n) = k {
                let scalars = s.unicodeScalars
                if n >= 0 {
                    var it = scalars.makeIterator()
                    var j: Int64 = 0
                    while let c = it.next() {
                        if j == n { return .char(c) }
                        j += 1
                    }
                    throw RhaiError(.stringBounds, "String index \(n) out of bounds: only \(j) characters", at: pos)
                }
                let chars = Array(scalars)
                return .char(chars[try stringIndex(n, chars.count, pos)])
            }
            if case .range(let lo, let hi, let inc) = k {
                let chars = Array(s.unicodeScalars)
                return .string(String(String.UnicodeScalarView(chars[stringSlice(lo, hi, inc, chars.count)])))
            }
            throw indexMismatch(k, expecting: "i64", pos)
        case .blob(let a):
            guard case .int(let n) = k else { throw indexMismatch(k, expecting: "i64", pos) }
            return .int(Int64(a[try arrayIndex(n, a.count, pos)]))
        case .int(let bits):
            if case .range = k {
                let (s, e) = try bitRange(k, pos)
                return .int(Library.extractBits(bits, s, e - s))
            }
            guard case .int(let n) = k else { throw indexMismatch(k, expecting: "i64", pos) }
            return .bool(bits & (1 << (try bitIndex(n, pos))) != 0)
        default:
            throw RhaiError(.indexingType, "Indexing is not supported for \(b.typeName)", at: pos)
        }
    }

    /// The bits `start..<end` a range selects as an integer's index; a start outside the 64 bits, or an
    /// end past them, is an error (an open end, `n[4..]`, runs to the last bit).
    static func bitRange(_ k: Dynamic, _ pos: Pos) throws(RhaiError) -> (Int, Int) {
        guard case .range(let lo, let hi, let inc) = k else { return (0, 0) }
        func outOfBounds(_ n: Int64) -> RhaiError {
            RhaiError(.bitFieldBounds, "Bit-field index \(n) out of bounds: only 64 bits", at: pos)
        }
        guard lo >= 0 && lo < 64 else { throw outOfBounds(lo) }
        let end: Int64
        if inc {
            guard hi == .max || (hi >= 0 && hi < 64) else { throw outOfBounds(hi) }
            end = hi == .max ? 64 : hi + 1
        } else {
            guard hi == .max || (hi >= 0 && hi <= 64) else { throw outOfBounds(hi) }
            end = hi == .max ? 64 : hi
        }
        return (Int(lo), Int(max(lo, end)))
    }

    /// The characters a range selects from a string of `count` characters, as Rhai slices strings: a
    /// negative end counts from the end, an inclusive range whose end is not past its start is empty
    /// (unless it covers the whole string from 0), and what lies past the end is left out.
    static func stringSlice(_ lo: Int64, _ hi: Int64, _ inclusive: Bool, _ count: Int) -> Range<Int> {
        let n = Int64(count)
        func position(_ x: Int64) -> Int64 { x >= 0 ? min(x, n) : n - Int64(min(x.magnitude, UInt64(n))) }
        let start = position(lo)
        if hi >= 0 && hi >= n - (inclusive ? 1 : 0) && start == 0 { return 0..<count }
        let end = position(hi)
        let take: Int64 = inclusive ? (end > start ? end - start + 1 : 0) : max(0, end - start)
        return Int(start)..<Int(min(n, start + take))
    }

    static func clampRange(_ lo: Int64, _ hi: Int64, _ count: Int) -> (Int, Int) {
        let s = Int(max(0, min(Int64(count), lo)))
        let e = Int(max(Int64(s), min(Int64(count), hi)))
        return (s, e)
    }

    static func property(_ b: Dynamic, _ name: String, _ pos: Pos, _ i: Interp) throws(RhaiError) -> Dynamic {
        if case .map(let m) = b { return m[name] ?? .unit }
        if case .tagged(let t) = b, name != "tag" { return try property(t.value, name, pos, i) }
        var args = [b]
        if let f = i.program.natives.resolve(name, args) {
            do throws(RhaiError) { return try f.body(&args, i) } catch { throw error.at(pos) }
        }
        throw RhaiError(.dotExpr, "Unknown property '\(name)' - a getter is not registered for type '\(b.typeName)'", at: pos)
    }
}
