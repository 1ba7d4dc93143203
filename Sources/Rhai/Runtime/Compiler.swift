/// Turns the resolved syntax tree into closures: expressions here; literals, statements, calls,
/// assignment, `switch` and `for` in the extensions named after them.
///
/// Closures kept in arrays or optionals are wrapped in `Node`: stored bare, Swift calls them through a
/// reabstraction thunk on every invocation.
struct Compiler {
    struct Node: Sendable {
        let run: Code
    }

    let functions: [String: [ScriptFunction]]
    let topLevel: [String: Int]
    let natives: NativeTable
    /// The lowest stack address compiling may reach; deeper code compiles to a stack-overflow error.
    var stackLimit: UInt = 0

    func compileFunction(_ f: ScriptFunction) {
        if f.compiled { return }
        f.compiled = true
        f.code = catchingFlow(statement(f.body), of: [f.body])
        f.body = .noop  // freed here, on the large stack, rather than wherever the AST is dropped
    }

    func scriptFunction(_ name: String, arity: Int) -> ScriptFunction? {
        functions[name]?.first { $0.paramCount == arity && $0.thisType == nil }
    }

    func compile(_ e: Expr) -> Code {
        if Interp.stackAddress() < stackLimit {
            let pos = e.pos
            return { _ throws(RhaiError) in throw RhaiError(.stackOverflow, "Code is nested too deeply to compile", at: pos) }
        }
        switch e {
        case .noop:
            return { _ throws(RhaiError) in .unit }
        case .fail(let error):
            return { _ throws(RhaiError) in throw error }
        case .importModule(let path, let alias, let pos):
            let pc = compile(path)
            return { i throws(RhaiError) in
                try i.importModule(try pc(i), alias: alias, pos)
                return .unit
            }
        case .moduleCall(let alias, let name, let args, let pos):
            let acs = args.map(compile)
            return { i throws(RhaiError) in
                var argv: [Dynamic] = []
                argv.reserveCapacity(acs.count)
                for c in acs { argv.append(try c(i).flat) }
                return try i.callModule(alias, name, argv, pos)
            }
        case .moduleVariable(let alias, let name, let pos):
            return { i throws(RhaiError) in try i.moduleVariable(alias, name, pos) }
        case .constant(let v):
            return { _ throws(RhaiError) in v }
        case .local(let slot, _):
            return { i throws(RhaiError) in i.local(slot) }
        case .global(let name, let pos):
            return compileGlobal(name, pos)
        case .globalConst(let name, let pos):
            guard let slot = topLevel[name] else { return compileGlobal(name, pos) }
            return { i throws(RhaiError) in i.stack[slot].flat }
        case .this(let pos):
            return { i throws(RhaiError) in try i.readThis(pos) }
        case .interpolated, .array, .map, .closure:
            return compileLiteral(e)
        case .unary(let op, let operand, let pos):
            return compileUnary(op, compile(operand), pos)
        case .binary(let op, let l, let r, let pos):
            return compileBinary(op, compile(l), compile(r), pos)
        case .and(let l, let r, let pos):
            let lc = compile(l), rc = compile(r)
            return { i throws(RhaiError) in
                guard try Compiler.bool(try lc(i), pos) else { return .bool(false) }
                return .bool(try Compiler.bool(try rc(i), pos))
            }
        case .or(let l, let r, let pos):
            let lc = compile(l), rc = compile(r)
            return { i throws(RhaiError) in
                if try Compiler.bool(try lc(i), pos) { return .bool(true) }
                return .bool(try Compiler.bool(try rc(i), pos))
            }
        case .coalesce(let l, let r, _):
            let lc = compile(l), rc = compile(r)
            return { i throws(RhaiError) in
                let v = try lc(i)
                if v.isUnit { return try rc(i) }
                return v
            }
        case .index(let base, let idx, let nullSafe, let pos):
            if nullSafe == .none, let fast = compileLocalIndex(base, idx, pos) { return fast }
            let bc = compile(base), ic = compile(idx)
            switch nullSafe {
            case .none:
                return { i throws(RhaiError) in try Access.index(try bc(i), try ic(i), pos) }
            case .check:
                return { i throws(RhaiError) in
                    let b = try bc(i)
                    i.chainSkipped = b.isUnit
                    if i.chainSkipped { return .unit }
                    return try Access.index(b, try ic(i), pos)
                }
            case .tail:
                return { i throws(RhaiError) in
                    let b = try bc(i)
                    if i.chainSkipped, b.isUnit { return .unit }
                    return try Access.index(b, try ic(i), pos)
                }
            }
        case .property(let base, let name, let nullSafe, let pos):
            let bc = compile(base)
            switch nullSafe {
            case .none:
                return { i throws(RhaiError) in try Access.property(try bc(i), name, pos, i) }
            case .check:
                return { i throws(RhaiError) in
                    let b = try bc(i)
                    i.chainSkipped = b.isUnit
                    if i.chainSkipped { return .unit }
                    return try Access.property(b, name, pos, i)
                }
            case .tail:
                return { i throws(RhaiError) in
                    let b = try bc(i)
                    if i.chainSkipped, b.isUnit { return .unit }
                    return try Access.property(b, name, pos, i)
                }
            }
        case .call(let name, let args, let localSlot, let refSlot, let pos):
            return compileCall(name, args, localSlot, refSlot: refSlot, pos)
        case .callInCallerScope(let name, let args, let visible, let pos):
            let call = compileCall(name, args, nil, pos)
            return { i throws(RhaiError) in
                i.lentScopes.append((base: i.base, names: visible, depth: i.callDepth + 1))
                defer { i.lentScopes.removeLast() }
                return try call(i)
            }
        case .isDefVar(let name, let known, _):
            if known { return { _ throws(RhaiError) in .bool(true) } }
            return { i throws(RhaiError) in .bool(i.scope.index(of: name) != nil) }
        case .methodCall(let target, let name, let args, let nullSafe, let constant, let pos):
            return compileMethodCall(target, name, args, nullSafe, constant, pos)
        case .assign(let target, let op, let value, let pos):
            return compileAssign(target, op.flatMap(BinOp.init), compile(value), pos)
        case .block, .ifElse, .switchExpr, .whileLoop, .doLoop, .forLoop, .breakLoop, .continueLoop, .returnValue, .tryCatch:
            return operandStatement(e)
        case .letVar, .throwValue, .constantAssignment, .rethrow:
            return compileStatement(e)
        }
    }

    static func caught(_ e: RhaiError) -> Dynamic {
        if e.kind == .runtime { return e.value }
        return .map([
            "message": .string(e.message), "error": .string(e.kind.name),
            "line": .int(Int64(e.line)), "position": .int(Int64(e.column)),
        ])
    }

    static func endLoop(_ i: Interp) -> Dynamic {
        if i.flow == .breakLoop {
            i.flow = .none
            let v = i.flowValue
            i.flowValue = .unit
            return v
        }
        return .unit
    }

    @inline(__always) static func bool(_ v: Dynamic, _ pos: Pos) throws(RhaiError) -> Bool {
        if case .bool(let b) = v { return b }
        if case .tagged(let t) = v, case .bool(let b) = t.value { return b }
        throw RhaiError(.mismatchDataType, "Data type incorrect: \(v.typeName) (expecting bool)", at: pos)
    }

    func compileGlobal(_ name: String, _ pos: Pos) -> Code {
        let isFn = functions[name] != nil
        return { i throws(RhaiError) in
            if !i.lentScopes.isEmpty, let idx = i.lentSlot(name) { return i.stack[idx].flat }
            if let k = i.scope.index(of: name) { return i.scope.entries[k].value }
            if let c = i.program.constants[name] { return c }
            if isFn { return .fnPtr(FnPtr(name: name, function: nil)) }
            throw RhaiError(.variableNotFound, "Variable not found: \(name)", at: pos)
        }
    }

    /// Whether evaluating `e` reads nothing it could change and changes nothing (so it may run
    /// after the value it indexes is read).
    private static func isPlain(_ e: Expr) -> Bool {
        switch e {
        case .local, .constant: true
        default: false
        }
    }

    /// `a[k]` and `a[k1][k2]` on a local array with plain keys: elements are read in place, without
    /// copying out the arrays on the way (other values go the general way, with the same result).
    func compileLocalIndex(_ base: Expr, _ idx: Expr, _ pos: Pos) -> Code? {
        guard Compiler.isPlain(idx) else { return nil }
        let ic = compile(idx)
        if case .local(let slot, _) = base {
            return { i throws(RhaiError) in
                let key = try ic(i)
                switch (key, i.stack[i.base &+ slot]) {
                case (.int(let n), .array(let a)): return a[try Access.arrayIndex(n, a.count, pos)]
                case (.string(let name), .map(let m)): return m[name] ?? .unit
                default: return try Access.index(i.local(slot), key, pos)
                }
            }
        }
        guard case .index(.local(let slot, _), let innerIdx, .none, let innerPos) = base, Compiler.isPlain(innerIdx) else {
            return nil
        }
        let oc = compile(innerIdx)
        return { i throws(RhaiError) in
            let outerKey = try oc(i), key = try ic(i)
            if case .int(let n1) = outerKey, case .int(let n2) = key, case .array(let a) = i.stack[i.base &+ slot] {
                let k1 = try Access.arrayIndex(n1, a.count, innerPos)
                if case .array(let row) = a[k1] { return row[try Access.arrayIndex(n2, row.count, pos)] }
                return try Access.index(a[k1], key, pos)
            }
            return try Access.index(try Access.index(i.local(slot), outerKey, innerPos), key, pos)
        }
    }

    func compileUnary(_ op: String, _ c: @escaping Code, _ pos: Pos) -> Code {
        switch op {
        case "-":
            return { i throws(RhaiError) in
                let v = try c(i)
                switch v.isTagged ? v.plain : v {
                case .int(let x):
                    if x == .min { throw RhaiError(.arithmetic, "Negation overflow: -\(x)", at: pos) }
                    return .int(-x)
                case .float(let x): return .float(-x)
                default:
                    var args = [v]
                    return try i.callNative("-", &args, pos: pos)
                }
            }
        case "!":
            // `!` of anything but a bool is a call of a `!` function that does not exist (eval_fn_call_expr)
            return { i throws(RhaiError) in
                let v = try c(i)
                if case .bool(let b) = v { return .bool(!b) }
                if case .tagged(let t) = v, case .bool(let b) = t.value { return .bool(!b) }
                throw RhaiError.functionNotFound("!", [v], pos)
            }
        default:
            return { i throws(RhaiError) in
                let v = try c(i)
                guard v.asFloat != nil else { throw RhaiError.functionNotFound("+", [v], pos) }
                return v
            }
        }
    }

    func compileBinary(_ sym: String, _ l: @escaping Code, _ r: @escaping Code, _ pos: Pos) -> Code {
        if sym == "in" || sym == "!in" {
            let negate = sym == "!in"
            return { i throws(RhaiError) in
                let x = try l(i)
                return .bool(try Ops.contains(try r(i), x, pos, i) != negate)
            }
        }
        let op = BinOp(sym)!
        switch op {
        case .add:
            return { i throws(RhaiError) in
                let a = try l(i), b = try r(i)
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.addingReportingOverflow(y)
                    if o { throw Ops.overflow("Addition", x, .add, y, pos) }
                    return .int(s)
                }
                let v = try Ops.binary(.add, a, b, pos, i)
                if i.checkSizes { try i.checkSize(v, pos) }
                if i.checksDataSize { try i.checkDataSize(v, pos) }
                try i.settle(v, receiver: 0, pos)
                return v
            }
        case .sub:
            return { i throws(RhaiError) in
                let a = try l(i), b = try r(i)
                if case .int(let x) = a, case .int(let y) = b {
                    let (s, o) = x.subtractingReportingOverflow(y)
                    if o { throw Ops.overflow("Subtraction", x, .sub, y, pos) }
                    return .int(s)
                }
                return try Ops.binary(.sub, a, b, pos, i)
            }
        case .lt, .le, .gt, .ge, .eq, .ne:
            return { i throws(RhaiError) in
                let a = try l(i), b = try r(i)
                if case .int(let x) = a, case .int(let y) = b {
                    switch op {
                    case .lt: return .bool(x < y)
                    case .le: return .bool(x <= y)
                    case .gt: return .bool(x > y)
                    case .ge: return .bool(x >= y)
                    case .eq: return .bool(x == y)
                    default: return .bool(x != y)
                    }
                }
                return try Ops.binary(op, a, b, pos, i)
            }
        default:
            return { i throws(RhaiError) in
                let a = try l(i), b = try r(i)
                if case .int(let x) = a, case .int(let y) = b { return try Ops.intOp(op, x, y, pos) }
                return try Ops.binary(op, a, b, pos, i)
            }
        }
    }
}
