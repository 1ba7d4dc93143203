import Foundation

extension Library {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// `call` and `curry` on a value that is not a function pointer.
    static func notFnPtr(_ v: Dynamic) -> RhaiError {
        RhaiError(.mismatchDataType, "Data type incorrect: \(v.typeName) (expecting Fn)")
    }

    /// The string argument of a syntactic function such as `is_def_fn`, else Rhai's data type mismatch.
    static func stringArgument(_ v: Dynamic) throws(RhaiError) -> String {
        guard case .string(let s) = v.plain else {
            throw RhaiError(.mismatchDataType, "Data type incorrect: \(v.typeName) (expecting string)")
        }
        return s
    }

    /// The integer argument of a syntactic function such as `is_def_fn`, else Rhai's data type mismatch.
    static func intArgument(_ v: Dynamic) throws(RhaiError) -> Int64 {
        guard case .int(let n) = v.plain else {
            throw RhaiError(.mismatchDataType, "Data type incorrect: \(v.typeName) (expecting i64)")
        }
        return n
    }

    static func core(_ t: inout NativeTable) {
        t.add("print", [TypeMask.any]) { a, i throws(RhaiError) in
            i.output.print(try i.outputText(a[0], .display))
            return .unit
        }
        t.add("print", []) { _, i throws(RhaiError) in i.output.print(try i.outputText(.string(""), .display)); return .unit }
        t.add("debug", [TypeMask.any]) { a, i throws(RhaiError) in i.output.debug(try i.outputText(a[0], .debug)); return .unit }
        t.add("debug", []) { _, i throws(RhaiError) in i.output.debug(try i.outputText(.string(""), .display)); return .unit }
        t.add("type_of", [TypeMask.any]) { a, _ in .string(a[0].typeName) }
        t.add("to_string", [TypeMask.any]) { a, i throws(RhaiError) in .string(try i.text(a[0])) }
        t.add("to_debug", [TypeMask.any]) { a, i throws(RhaiError) in .string(try i.text(a[0], .debug)) }
        t.add("Fn", [TypeMask.any]) { a, i throws(RhaiError) in
            guard case .string(let name) = a[0].plain else {
                throw RhaiError(.mismatchDataType, "Data type incorrect: \(a[0].typeName) (expecting string)")
            }
            guard Lexer.isValidName(name) else {
                if Lexer.isSymbol(name) { throw RhaiError(.parsing, "'\(name)' is a reserved keyword or symbol") }
                throw RhaiError(.functionNotFound, "Invalid function name: '\(name)'")
            }
            return .fnPtr(FnPtr(name: name, function: nil))
        }
        t.add("name", [TypeMask.fn]) { a, _ in .string(a[0].fp.name) }
        t.add("is_anonymous", [TypeMask.fn]) { a, _ in .bool(a[0].fp.isAnonymous) }
        t.table["call", default: []].append(NativeFunction(arity: -1, types: []) { a, i throws(RhaiError) in
            guard let first = a.first else { throw RhaiError.functionNotFound("call", a, .none) }
            guard case .fnPtr(let fp) = first.plain else { throw Library.notFnPtr(first) }
            return try i.call(fp, Array(a.dropFirst()))
        })
        t.table["curry", default: []].append(NativeFunction(arity: -1, types: []) { a, _ throws(RhaiError) in
            guard let first = a.first else { throw RhaiError.functionNotFound("curry", a, .none) }
            guard case .fnPtr(let fp) = first.plain else {
                if a.count > 1 { throw Library.notFnPtr(first) }
                throw RhaiError.functionNotFound("curry", a, .none)
            }
            return .fnPtr(fp.curry(Array(a.dropFirst())))
        })
        t.add("is_def_fn", [TypeMask.any, TypeMask.any]) { a, i throws(RhaiError) in
            let name = try Library.stringArgument(a[0]), arity = try Library.intArgument(a[1])
            return .bool(i.program.functions[name]?.contains { $0.paramCount == arity && $0.thisType == nil } ?? false)
        }
        // the type is matched as written: a method defined on `int` has the type `i64`
        t.add("is_def_fn", [TypeMask.any, TypeMask.any, TypeMask.any]) { a, i throws(RhaiError) in
            let type = try Library.stringArgument(a[0]), name = try Library.stringArgument(a[1])
            let arity = try Library.intArgument(a[2])
            return .bool(i.program.functions[name]?.contains { $0.paramCount == arity && $0.thisType == type } ?? false)
        }
        let metadata: NativeBody = { a, i in
            let name: String? = a.isEmpty ? nil : a[0].s
            let arity: Int? = a.count > 1 ? Int(a[1].i) : nil
            var out: [Dynamic] = []
            for key in i.program.functions.keys.sorted() where name == nil || key == name {
                for f in i.program.functions[key]!.sorted(by: { $0.paramCount < $1.paramCount })
                where arity == nil || f.paramCount == arity {
                    var m: [String: Dynamic] = [
                        "name": .string(f.name), "params": .array(f.params.map { .string($0) }),
                        "access": .string(f.isPrivate ? "private" : "public"), "is_anonymous": .bool(false),
                    ]
                    if let thisType = f.thisType { m["this_type"] = .string(thisType) }
                    out.append(.map(m))
                }
            }
            return .array(out)
        }
        t.add("get_fn_metadata_list", [], metadata)
        t.add("get_fn_metadata_list", [TypeMask.string], metadata)
        t.add("get_fn_metadata_list", [TypeMask.string, TypeMask.int], metadata)
        // `eval` is denied: scripts from peers must not evaluate code they build at run time
        t.add("eval", [TypeMask.any]) { _, _ throws(RhaiError) in throw Library.evalDenied }
        t.add("is_def_var", [TypeMask.any]) { a, i throws(RhaiError) in
            .bool(i.scope.index(of: try Library.stringArgument(a[0])) != nil)
        }
        t.add("is_shared", [TypeMask.any]) { _, _ in .bool(false) }
        t.add("timestamp", []) { _, _ in .timestamp(now()) }
        t.add("elapsed", [TypeMask.timestamp]) { a, _ in
            if case .timestamp(let x) = a[0] { return .float(now() - x) }
            return .unit
        }
        t.add("sleep", [TypeMask.num]) { a, i throws(RhaiError) in
            // in short slices, so a cancelled run stops promptly
            var left = min(max(a[0].f, 0), 3600)
            while left > 0 {
                if i.cancellation?.isCancelled == true { throw RhaiError(.terminated, "Script terminated") }
                let slice = min(left, 0.01)
                usleep(UInt32(slice * 1_000_000))
                left -= slice
            }
            return .unit
        }
        // ranges
        t.add("range", [TypeMask.int, TypeMask.int]) { a, _ in .range(a[0].i, a[1].i, inclusive: false) }
        t.add("range", [TypeMask.int, TypeMask.int, TypeMask.int]) { a, i throws(RhaiError) in
            let (from, to, step) = (a[0].i, a[1].i, a[2].i)
            if step == 0 { throw RhaiError(.arithmetic, "Step value cannot be zero") }
            var out: [Dynamic] = []
            var x = from
            while step > 0 ? x < to : x > to {
                out.append(.int(x))
                if out.count > i.arrayCap { try i.checkGrowth(count: out.count) }
                let (n, o) = x.addingReportingOverflow(step)
                if o { break }
                x = n
            }
            try i.checkSize(.array(out), .none)
            return .array(out)
        }
        // `range(a..b, step)`: the items of a range, stepping by `step`
        t.add("range", [TypeMask.range, TypeMask.int]) { a, i throws(RhaiError) in
            guard case .range(let lo, let hi, let inc) = a[0] else { return .unit }
            let step = a[1].i
            if step == 0 { throw RhaiError(.arithmetic, "Step value cannot be zero") }
            var out: [Dynamic] = []
            var x = lo
            while step > 0 ? (inc ? x <= hi : x < hi) : (inc ? x >= hi : x > hi) {
                out.append(.int(x))
                try i.checkGrowth(count: out.count)
                let (n, o) = x.addingReportingOverflow(step)
                if o { break }
                x = n
            }
            return .array(out)
        }
        t.add("range", [TypeMask.num, TypeMask.num, TypeMask.num]) { a, i throws(RhaiError) in
            let (from, to, step) = (a[0].f, a[1].f, a[2].f)
            guard step != 0, step.isFinite, from.isFinite, to.isFinite else {
                throw RhaiError(.arithmetic, "Invalid range step: \(Dynamic.formatFloat(step))")
            }
            let count = ((to - from) / step).rounded(.up)
            try i.checkGrowth(count: count > 0 ? Int(min(count, 1e15)) : 0)
            var out: [Dynamic] = []
            var x = from
            while step > 0 ? x < to : x > to {
                out.append(.float(x))
                x += step
            }
            return .array(out)
        }
        t.add("start", [TypeMask.range]) { a, _ in if case .range(let s, _, _) = a[0] { return .int(s) }; return .unit }
        t.add("end", [TypeMask.range]) { a, _ in if case .range(_, let e, _) = a[0] { return .int(e) }; return .unit }
        t.add("is_inclusive", [TypeMask.range]) { a, _ in if case .range(_, _, let inc) = a[0] { return .bool(inc) }; return .unit }
        t.add("is_exclusive", [TypeMask.range]) { a, _ in if case .range(_, _, let inc) = a[0] { return .bool(!inc) }; return .unit }
        t.add("len", [TypeMask.range]) { a, _ in
            if case .range(let s, let e, let inc) = a[0] {
                let (d, o) = e.subtractingReportingOverflow(s)
                return .int(o ? .max : max(0, d &+ (inc && d < .max ? 1 : 0)))
            }
            return .unit
        }
        t.add("is_empty", [TypeMask.range]) { a, _ in
            if case .range(let s, let e, let inc) = a[0] { return .bool(inc ? s > e : s >= e) }
            return .unit
        }
        t.add("contains", [TypeMask.range, TypeMask.int]) { a, _ in
            if case .range(let s, let e, let inc) = a[0] { let v = a[1].i; return .bool(v >= s && (inc ? v <= e : v < e)) }
            return .unit
        }
        // conversions
        t.add("to_int", [TypeMask.int]) { a, _ in a[0] }
        t.add("to_int", [TypeMask.float]) { a, _ throws(RhaiError) in
            let v = a[0].f
            guard v.isFinite, v >= -9.223372036854775808e18, v < 9.223372036854775808e18 else {
                throw RhaiError(.arithmetic, "Integer overflow: to_int(\(Dynamic.formatFloat(v)))")
            }
            return .int(Int64(v))
        }
        t.add("to_int", [TypeMask.char]) { a, _ in .int(Int64(a[0].c.value)) }
        t.add("to_int", [TypeMask.bool]) { a, _ in .int(a[0].b ? 1 : 0) }
        t.add("to_float", [TypeMask.num]) { a, _ in .float(a[0].f) }
        t.add("to_char", [TypeMask.int]) { a, _ throws(RhaiError) in
            guard a[0].i >= 0, a[0].i <= 0x10FFFF, let c = Unicode.Scalar(UInt32(a[0].i)) else {
                throw RhaiError(.arithmetic, "Invalid character code: \(a[0].i)")
            }
            return .char(c)
        }
        t.add("to_char", [TypeMask.char]) { a, _ in a[0] }
        t.add("parse_int", [TypeMask.string]) { a, _ throws(RhaiError) in
            guard let v = Int64(a[0].s.trimmingCharacters(in: .whitespaces)) else {
                throw RhaiError(.runtime, "Error parsing integer number '\(a[0].s)': invalid digit found in string")
            }
            return .int(v)
        }
        t.add("parse_int", [TypeMask.string, TypeMask.int]) { a, _ throws(RhaiError) in
            let radix = Int(a[1].i)
            guard radix >= 2, radix <= 36 else { throw RhaiError(.arithmetic, "Invalid radix: '\(radix)'") }
            guard let v = Int64(a[0].s.trimmingCharacters(in: .whitespaces), radix: radix) else {
                throw RhaiError(.runtime, "Error parsing integer number '\(a[0].s)': invalid digit found in string")
            }
            return .int(v)
        }
        t.add("parse_float", [TypeMask.string]) { a, _ throws(RhaiError) in
            guard let v = Double(a[0].s.trimmingCharacters(in: .whitespaces)) else {
                throw RhaiError(.runtime, "Error parsing floating-point number '\(a[0].s)': invalid float literal")
            }
            return .float(v)
        }
        t.add("to_hex", [TypeMask.int]) { a, _ in .string(String(UInt64(bitPattern: a[0].i), radix: 16)) }
        t.add("to_octal", [TypeMask.int]) { a, _ in .string(String(UInt64(bitPattern: a[0].i), radix: 8)) }
        t.add("to_binary", [TypeMask.int]) { a, _ in .string(String(UInt64(bitPattern: a[0].i), radix: 2)) }
        t.add("to_json", [TypeMask.any]) { a, i throws(RhaiError) in .string(try i.text(a[0], .scriptJSON)) }
    }

    /// JSON text of a value, unbounded (the command line's output).
    static func json(_ v: Dynamic) -> String {
        var w = TextWriter(limit: .max)
        do throws(RhaiError) { try v.render(.json, into: &w) } catch { return w.text }
        return w.text
    }

    static func jsonString(_ s: String) -> String {
        "\"" + Dynamic.escape(s, quote: "\"", json: true) + "\""
    }
}
