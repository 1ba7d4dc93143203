extension Compiler {
    func compileSwitch(_ subject: Expr, _ cases: [SwitchCase], _ defaultCase: Expr?, _ pos: Pos) -> Code {
        let sc = compile(subject)
        struct Compiled {
            var patterns: [SwitchCase.Pattern]
            var condition: Code?
            var body: Code
        }
        let compiled = cases.map { Compiled(patterns: $0.patterns, condition: $0.condition.map(compile), body: statement($0.body)) }
        let rangeCases = compiled.filter { $0.patterns.contains { if case .range = $0 { true } else { false } } }
        let dc = defaultCase.map(statement)
        // Rhai's order: the cases whose value equals the subject's (a range case too, for an equal range
        // value), in order, the first whose condition holds; when some case's value was equal but no
        // condition held, the default. Only when no value was equal, the range cases that contain the
        // subject (an integer or a float), in order.
        return { i throws(RhaiError) in
            let v = try sc(i).plain
            var equalFound = false
            for c in compiled {
                guard c.patterns.contains(where: { Compiler.switchPattern($0, equals: v) }) else { continue }
                equalFound = true
                if let cond = c.condition, !(try Compiler.bool(try cond(i), pos)) { continue }
                return try c.body(i)
            }
            if !equalFound {
                for c in rangeCases {
                    guard c.patterns.contains(where: { Compiler.switchPattern($0, contains: v) }) else { continue }
                    if let cond = c.condition, !(try Compiler.bool(try cond(i), pos)) { continue }
                    return try c.body(i)
                }
            }
            return try dc?(i) ?? .unit
        }
    }

    /// Whether a case's pattern is the subject's value: same type and equal (a range pattern equals an
    /// equal range value).
    static func switchPattern(_ pattern: SwitchCase.Pattern, equals v: Dynamic) -> Bool {
        switch pattern {
        case .value(let x):
            return x.tag == v.tag && x == v
        case .range(let lo, let hi, let inclusive):
            guard case .range(let a, let b, let inc) = v else { return false }
            return a == lo && b == hi && inc == inclusive
        }
    }

    /// Whether a range pattern contains the subject, an integer or a float.
    static func switchPattern(_ pattern: SwitchCase.Pattern, contains v: Dynamic) -> Bool {
        guard case .range(let lo, let hi, let inclusive) = pattern else { return false }
        switch v {
        case .int(let n): return n >= lo && (inclusive ? n <= hi : n < hi)
        case .float(let x): return x >= Double(lo) && (inclusive ? x <= Double(hi) : x < Double(hi))
        default: return false
        }
    }

    func compileFor(_ slot: Int, _ counter: Int?, _ source: Expr, _ body: @escaping Code, _ pos: Pos) -> Code {
        // `range(a, b, step)` iterates without building an array
        var steppedRange: (Code, Code, Code?)? = nil
        if case .call("range", let args, nil, _, _) = source, args.count >= 2, args.count <= 3,
           scriptFunction("range", arity: args.count) == nil {
            steppedRange = (compile(args[0]), compile(args[1]), args.count == 3 ? compile(args[2]) : nil)
        }
        let stepped = steppedRange
        let sc = compile(source)
        return { i throws(RhaiError) in
            var n: Int64 = 0
            // runs the body once; returns the loop's value when the loop must end
            func step(_ v: Dynamic) throws(RhaiError) -> Dynamic? {
                try i.tick(pos)
                i.setLocal(slot, v)
                if let counter { i.setLocal(counter, .int(n)) }
                n += 1
                _ = try body(i)
                if i.flow != .none {
                    if i.flow == .continueLoop { i.flow = .none; return nil }
                    return Compiler.endLoop(i)
                }
                return nil
            }
            let src: Dynamic
            if let (ac, bc, stc) = stepped {
                let first = try ac(i), second = try bc(i)
                let third = try stc?(i)
                var bounds: (Int64, Int64, Int64)? = nil
                if case .range(let lo, let hi, let inc) = first, case .int(let s) = second, third == nil {
                    bounds = (lo, inc ? (s > 0 ? (hi == .max ? hi : hi + 1) : (hi == .min ? hi : hi - 1)) : hi, s)
                } else if case .int(let a) = first, case .int(let b) = second {
                    if third == nil { bounds = (a, b, 1) } else if case .int(let s)? = third { bounds = (a, b, s) }
                }
                if let (from, to, by) = bounds {
                    if by == 0 { throw RhaiError(.arithmetic, "Step value cannot be zero", at: pos) }
                    var x = from
                    while by > 0 ? x < to : x > to {
                        if let r = try step(.int(x)) { return r }
                        let (nx, o) = x.addingReportingOverflow(by)
                        if o { break }
                        x = nx
                    }
                    return .unit
                }
                var argv = [first, second]
                if let third { argv.append(third) }
                src = try i.callNative("range", &argv, pos: pos)
            } else {
                src = try sc(i)
            }
            switch src.plain {
            case .range(let lo, let hi, let inc):
                if lo > hi || (!inc && lo == hi) { return .unit }
                var x = lo
                while true {
                    if let r = try step(.int(x)) { return r }
                    if inc ? x >= hi : x >= hi - 1 { break }
                    x += 1
                }
            case .array(let a):
                for v in a { if let r = try step(v) { return r } }
            case .string(let s):
                for c in s.unicodeScalars { if let r = try step(.char(c)) { return r } }
            case .blob(let b):
                for v in b { if let r = try step(.int(Int64(v))) { return r } }
            case .map(let m):
                for k in m.keys.sorted() { if let r = try step(.string(k)) { return r } }
            default:
                throw RhaiError(.forLoop, "For loop expects an iterable type, not \(src.typeName)", at: pos)
            }
            return .unit
        }
    }
}
