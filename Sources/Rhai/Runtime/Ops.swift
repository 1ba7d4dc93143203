import Foundation

/// Built-in operators on values. Integer overflow is an `ErrorArithmetic`, never a wrap.
enum Ops {
    static func overflow(_ what: String, _ a: Int64, _ op: BinOp, _ b: Int64, _ pos: Pos) -> RhaiError {
        RhaiError(.arithmetic, "\(what) overflow: \(a) \(op.symbol) \(b)", at: pos)
    }

    static func intOp(_ op: BinOp, _ x: Int64, _ y: Int64, _ pos: Pos) throws(RhaiError) -> Dynamic {
        switch op {
        case .add:
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow("Addition", x, op, y, pos) }
            return .int(r)
        case .sub:
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow("Subtraction", x, op, y, pos) }
            return .int(r)
        case .mul:
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow("Multiplication", x, op, y, pos) }
            return .int(r)
        case .div:
            if y == 0 { throw RhaiError(.arithmetic, "Division by zero: \(x) / \(y)", at: pos) }
            let (r, o) = x.dividedReportingOverflow(by: y)
            if o { throw overflow("Division", x, op, y, pos) }
            return .int(r)
        case .rem:
            if y == 0 { throw RhaiError(.arithmetic, "Modulo division by zero: \(x) % \(y)", at: pos) }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            if o { throw overflow("Modulo division", x, op, y, pos) }
            return .int(r)
        case .pow: return .int(try power(x, y, pos))
        case .shl, .shr:
            let left = (op == .shl) == (y >= 0)
            let n = y.magnitude
            if n >= 64 { throw RhaiError(.arithmetic, "Bit-shift by too many bits: \(x) \(op.symbol) \(y)", at: pos) }
            return .int(left ? x << n : x >> n)
        case .and: return .int(x & y)
        case .or: return .int(x | y)
        case .xor: return .int(x ^ y)
        case .eq: return .bool(x == y)
        case .ne: return .bool(x != y)
        case .lt: return .bool(x < y)
        case .le: return .bool(x <= y)
        case .gt: return .bool(x > y)
        case .ge: return .bool(x >= y)
        case .range: return .range(x, y, inclusive: false)
        case .rangeInclusive: return .range(x, y, inclusive: true)
        }
    }

    static func power(_ x: Int64, _ y: Int64, _ pos: Pos) throws(RhaiError) -> Int64 {
        if y < 0 { throw RhaiError(.arithmetic, "Integer raised to a negative power: \(x) ** \(y)", at: pos) }
        var result: Int64 = 1
        var b = x
        var e = y
        while e > 0 {
            if e & 1 == 1 {
                let (r, o) = result.multipliedReportingOverflow(by: b)
                if o { throw overflow("Exponential", x, .pow, y, pos) }
                result = r
            }
            e >>= 1
            if e > 0 {
                let (r, o) = b.multipliedReportingOverflow(by: b)
                if o { throw overflow("Exponential", x, .pow, y, pos) }
                b = r
            }
        }
        return result
    }

    static func floatOp(_ op: BinOp, _ x: Double, _ y: Double, _ pos: Pos) throws(RhaiError) -> Dynamic? {
        switch op {
        case .add: .float(x + y)
        case .sub: .float(x - y)
        case .mul: .float(x * y)
        case .div: .float(x / y)
        case .rem: .float(x.truncatingRemainder(dividingBy: y))
        case .pow: .float(pow(x, y))
        default: compareFloats(op, x, y)
        }
    }

    /// Float comparisons with a tolerance (Rhai Book, "Floating-point Comparison"): within
    /// `epsilon` of each other when one is zero, else within `max(|x|, |y|) × epsilon`.
    static func compareFloats(_ op: BinOp, _ x: Double, _ y: Double) -> Dynamic? {
        if x == y {
            switch op {
            case .eq, .le, .ge: return .bool(true)
            case .ne, .lt, .gt: return .bool(false)
            default: return nil
            }
        }
        let tolerance = x == 0 || y == 0 ? Double.ulpOfOne : max(abs(x), abs(y)) * .ulpOfOne
        switch op {
        case .eq: return .bool(abs(x - y) < tolerance)
        case .ne: return .bool(!(abs(x - y) < tolerance))
        case .gt: return .bool(x - y >= tolerance)
        case .ge: return .bool(x - y >= -tolerance)
        case .lt: return .bool(y - x >= tolerance)
        case .le: return .bool(y - x >= -tolerance)
        default: return nil
        }
    }

    static func compare<T: Comparable>(_ op: BinOp, _ x: T, _ y: T) -> Dynamic? {
        switch op {
        case .eq: .bool(x == y)
        case .ne: .bool(x != y)
        case .lt: .bool(x < y)
        case .le: .bool(x <= y)
        case .gt: .bool(x > y)
        case .ge: .bool(x >= y)
        default: nil
        }
    }

    static func binary(_ op: BinOp, _ a: Dynamic, _ b: Dynamic, _ pos: Pos, _ i: Interp) throws(RhaiError) -> Dynamic {
        switch (a, b) {
        case (.int(let x), .int(let y)): return try intOp(op, x, y, pos)
        case (.float(let x), .float(let y)): if let r = try floatOp(op, x, y, pos) { return r }
        case (.int(let x), .float(let y)): if let r = try floatOp(op, Double(x), y, pos) { return r }
        case (.float(let x), .int(let y)):
            if op == .pow { return .float(pow(x, Double(y))) }
            if let r = try floatOp(op, x, Double(y), pos) { return r }
        case (.string(let x), .string(let y)):
            if op == .add { return .string(x + y) }
            if op == .sub { return .string(x.replacingAll(y, with: "")) }
            try i.work((x.utf8.count &+ y.utf8.count) >> Interp.bytesPerOperation)
            if let r = compare(op, x, y) { return r }
        case (.string(let x), .char(let c)):
            // a character is a one-character string here
            let y = String(Character(c))
            if op == .add { return .string(x + y) }
            if op == .sub { return .string(x.replacingAll(y, with: "")) }
            if let r = compare(op, x, y) { return r }
        case (.char(let c), .string(let y)):
            let x = String(Character(c))
            if op == .add { return .string(x + y) }
            if let r = compare(op, x, y) { return r }
        case (.string(let x), .blob(let b)):
            // a BLOB appended to a string is UTF-8 text
            if op == .add { return .string(x + String(decoding: b, as: UTF8.self)) }
        case (.blob(let b), .string(let y)):
            if op == .add { return .string(String(decoding: b, as: UTF8.self) + y) }
        case (.blob(let x), .char(let c)):
            if op == .add { return .blob(x + Array(String(Character(c)).utf8)) }
        case (.char(let x), .char(let y)):
            if op == .add { return .string(String(Character(x)) + String(Character(y))) }
            if let r = compare(op, x.value, y.value) { return r }
        case (.bool(let x), .bool(let y)):
            switch op {
            case .and: return .bool(x && y)
            case .or: return .bool(x || y)
            case .xor: return .bool(x != y)
            case .eq: return .bool(x == y)
            case .ne: return .bool(x != y)
            default: if let r = compare(op, x ? 1 : 0, y ? 1 : 0) { return r }
            }
        case (.array(let x), .array(let y)):
            if op == .add { return .array(x + y) }
        case (.map(let x), .map(let y)):
            if op == .add { return .map(x.merging(y) { $1 }) }
        case (.blob(let x), .blob(let y)):
            if op == .add { return .blob(x + y) }
        case (.timestamp(let x), .timestamp(let y)):
            if op == .sub { return .float(x - y) }
            if let r = compare(op, x, y) { return r }
        case (.timestamp(let x), .int(let y)):
            if op == .add || op == .sub { return try shift(x, op, Double(y), "\(y)", pos) }
        case (.timestamp(let x), .float(let y)):
            if op == .add || op == .sub { return try shift(x, op, y, Dynamic.formatFloat(y), pos) }
        case (.unit, .unit):
            if op == .eq { return .bool(true) }
            if op == .ne { return .bool(false) }
        default:
            if a.isTagged || b.isTagged { return try binaryUntagged(op, a, b, pos, i) }
        }
        if op == .add {
            switch (a, b) {
            case (.string(let x), _): return .string(x + (try i.text(b, used: x.utf8.count)))
            case (_, .string(let y)): return .string((try i.text(a, used: y.utf8.count)) + y)
            case (.char(let x), _) where b.isUnit: return .string(String(Character(x)))
            default: break
            }
        }
        if op == .eq || op == .ne {
            if a.tag == b.tag || (a.asFloat != nil && b.asFloat != nil) {
                try i.work((a.shallowBytes &+ b.shallowBytes) >> Interp.bytesPerOperation)
                return .bool((a == b) == (op == .eq))
            }
        }
        var args = [a, b]
        if let f = i.program.natives.resolve(op.symbol, args) {
            do throws(RhaiError) { return try f.body(&args, i) } catch { throw error.at(pos) }
        }
        switch op {
        case .eq: return .bool(false)
        case .ne: return .bool(true)
        case .lt, .le, .gt, .ge: return .bool(false)
        default: throw RhaiError.functionNotFound(op.symbol, [a, b], pos)
        }
    }

    /// `x in container`.
    static func contains(_ container: Dynamic, _ x: Dynamic, _ pos: Pos, _ i: Interp) throws(RhaiError) -> Bool {
        switch container {
        case .array(let a):
            try i.work(container.shallowBytes >> Interp.bytesPerOperation)
            return a.contains(x)
        case .map(let m):
            if case .string(let k) = x { return m[k] != nil }
            if case .char(let c) = x { return m[String(Character(c))] != nil }
        case .string(let s):
            try i.work(container.shallowBytes >> Interp.bytesPerOperation)
            if case .string(let sub) = x { return s.includes(sub) }
            if case .char(let c) = x { return s.unicodeScalars.contains(c) }
        case .range(let lo, let hi, let inc):
            if case .int(let v) = x { return v >= lo && (inc ? v <= hi : v < hi) }
        case .blob(let b):
            if case .int(let v) = x { return b.contains { Int64($0) == v } }
        default: break
        }
        if container.isTagged || x.isTagged { return try containsUntagged(container, x, pos, i) }
        var args = [container, x]
        if let f = i.program.natives.resolve("contains", args) {
            return try f.body(&args, i) == .bool(true)
        }
        throw RhaiError.functionNotFound("in", [x, container], pos)
    }
}


extension Ops {
    /// A timestamp moved by `seconds`: like Rhai's monotonic `Instant`, it holds whole seconds in an
    /// `i64`, so a move past that range (or by more than `i64::MAX` seconds) is an arithmetic error.
    static func shift(_ t: Double, _ op: BinOp, _ seconds: Double, _ text: String, _ pos: Pos) throws(RhaiError) -> Dynamic {
        let moved = op == .add ? t + seconds : t - seconds
        let limit = 9.223372036854775807e18
        guard abs(seconds) <= limit, moved < limit, moved >= -limit, !moved.isNaN else {
            let verb = op == .add ? "adding" : "subtracting"
            throw RhaiError(.arithmetic, "Timestamp overflow when \(verb) \(text) second(s)", at: pos)
        }
        return .timestamp(moved)
    }

    /// `v op= rhs`, in place where the type allows (string, array, BLOB and map appends).
    static func compound(_ op: BinOp, _ v: inout Dynamic, _ rhs: Dynamic, _ pos: Pos, _ i: Interp) throws(RhaiError) {
        if op == .add {
            let before = v.storage
            if var s = v.takeString() {
                switch rhs {
                case .string(let t): s += t
                case .char(let c): s.unicodeScalars.append(c)
                case .blob(let b): s += String(decoding: b, as: UTF8.self)
                default: s += try i.text(rhs, used: s.utf8.count)
                }
                v = .string(s)
                if i.checkSizes { try i.checkSize(v, pos) }
                try i.charge(v.growth(from: before), pos)
                return
            }
            if rhs.isContainer { try i.checkNesting(rhs, pos) }
            if var a = v.takeArray() {
                if case .array(let b) = rhs { a += b } else if rhs.isTagged, case .array(let b) = rhs.plain { a += b } else { a.append(rhs) }
                v = .array(a)
                if i.checkSizes { try i.checkSize(v, pos) }
                if i.checksDataSize, Interp.addsData(rhs) { try i.checkDataSize(v, pos) }
                try i.charge(v.growth(from: before), pos)
                return
            }
            if var b = v.takeBlob() {
                switch rhs {
                case .blob(let c): b += c
                case .int(let x): b.append(UInt8(truncatingIfNeeded: x))
                case .string(let s): b += Array(s.utf8)
                case .char(let c): b += Array(String(Character(c)).utf8)
                default:
                    v = .blob(b)
                    throw RhaiError.functionNotFound("+=", [.blob(b), rhs], pos)
                }
                v = .blob(b)
                if i.checkSizes { try i.checkSize(v, pos) }
                try i.charge(v.growth(from: before), pos)
                return
            }
            if case .map = v, case .map(let o) = rhs, var m = v.takeMap() {
                m.merge(o) { $1 }
                v = .map(m)
                if i.checkSizes { try i.checkSize(v, pos) }
                if i.checksDataSize { try i.checkDataSize(v, pos) }
                try i.charge(v.growth(from: before), pos)
                return
            }
        }
        if case .int(let x) = v, case .int(let y) = rhs {
            v = try intOp(op, x, y, pos)
            return
        }
        if v.isTagged { return try compoundTagged(op, &v, rhs, pos, i) }
        v = try binary(op, v, rhs, pos, i)
        if i.checkSizes { try i.checkSize(v, pos) }
        if i.checksDataSize { try i.checkDataSize(v, pos) }
        try i.settle(v, receiver: 0, pos)
    }
}

/// Tagged operands: operations work on their values (only reached from the operations' fallbacks).
extension Ops {
    @inline(never)
    static func binaryUntagged(_ op: BinOp, _ a: Dynamic, _ b: Dynamic, _ pos: Pos, _ i: Interp) throws(RhaiError) -> Dynamic {
        try binary(op, a.plain, b.plain, pos, i)
    }

    @inline(never)
    static func containsUntagged(_ container: Dynamic, _ x: Dynamic, _ pos: Pos, _ i: Interp) throws(RhaiError) -> Bool {
        try contains(container.plain, x.plain, pos, i)
    }

    /// `v op= rhs` on a tagged value changes it in place: it keeps its tag.
    @inline(never)
    static func compoundTagged(_ op: BinOp, _ v: inout Dynamic, _ rhs: Dynamic, _ pos: Pos, _ i: Interp) throws(RhaiError) {
        try v.mutateUntagged { x throws(RhaiError) in try compound(op, &x, rhs, pos, i) }
    }
}
