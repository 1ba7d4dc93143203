/// Turns the resolved syntax tree into closures.
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
        f.code = compile(f.body)
        f.body = .noop  // freed here, on the large stack, rather than wherever the AST is dropped
    }

    func scriptFunction(_ name: String, arity: Int) -> ScriptFunction? {
        functions[name]?.first { $0.paramCount == arity && $0.thisType == nil }
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
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
        case .interpolated(let parts, let pos):
            let codes = parts.map { Node(run: compile($0)) }
            return { i throws(RhaiError) in
                var s = ""
                for c in codes {
                    switch try c.run(i) {
                    case .string(let t): s += t
                    case .blob(let b): s += String(decoding: b, as: UTF8.self)  // a BLOB is UTF-8 text here
                    case let v: s += try i.text(v, used: s.utf8.count)
                    }
                }
                let r = Dynamic.string(s)
                if i.checkSizes { try i.checkSize(r, pos) }
                try i.charge(r.shallowBytes, pos)
                return r
            }
        case .array(let items, let pos):
            let codes = items.map { Node(run: compile($0)) }
            return { i throws(RhaiError) in
                var a: [Dynamic] = []
                a.reserveCapacity(codes.count)
                // Items built so far are reachable from nowhere else: pinned while the rest are built.
                var held = 0
                defer { i.pinned -= held }
                for c in codes {
                    let v = try c.run(i)
                    try i.checkNesting(v, pos)
                    let n = v.shallowBytes
                    held += n
                    i.pinned += n
                    a.append(v)
                }
                let r = Dynamic.array(a)
                if i.checkSizes { try i.checkSize(r, pos) }
                if i.checksDataSize { try i.checkDataSize(r, pos) }
                try i.charge(r.shallowBytes, pos)
                return r
            }
        case .map(let items, let pos):
            let codes = items.map { ($0.0, compile($0.1)) }
            return { i throws(RhaiError) in
                var m: [String: Dynamic] = [:]
                m.reserveCapacity(codes.count)
                var held = 0
                defer { i.pinned -= held }
                for (k, c) in codes {
                    let v = try c(i)
                    try i.checkNesting(v, pos)
                    let n = v.shallowBytes
                    held += n
                    i.pinned += n
                    m[k] = v
                }
                let r = Dynamic.map(m)
                if i.checkSizes { try i.checkSize(r, pos) }
                if i.checksDataSize { try i.checkDataSize(r, pos) }
                try i.charge(r.shallowBytes, pos)
                return r
            }
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
        case .closure(let fn, let captures, let pos):
            compileFunction(fn)
            let outer = captures.map(\.outerSlot)
            return { i throws(RhaiError) in
                var caps: [Dynamic] = []
                caps.reserveCapacity(outer.count)
                for slot in outer {
                    let idx = i.base &+ slot
                    if case .shared = i.stack[idx] {
                        caps.append(i.stack[idx])
                    } else {
                        let shared = SharedValue(i.stack[idx])
                        i.track(shared)
                        let box = Dynamic.shared(shared)
                        i.stack[idx] = box
                        caps.append(box)
                    }
                }
                let fp = Dynamic.fnPtr(FnPtr(name: fn.name, function: fn, captured: caps))
                try i.checkNesting(fp, pos)
                return fp
            }
        case .assign(let target, let op, let value, let pos):
            return compileAssign(target, op.flatMap(BinOp.init), compile(value), pos)
        case .block(let items):
            switch items.count {
            case 0: return { _ throws(RhaiError) in .unit }
            case 1: return compile(items[0])
            case 2:
                let a = compile(items[0]), b = compile(items[1])
                return { i throws(RhaiError) in
                    let r = try a(i)
                    if i.flow != .none { return r }
                    return try b(i)
                }
            case 3:
                let a = compile(items[0]), b = compile(items[1]), c = compile(items[2])
                return { i throws(RhaiError) in
                    var r = try a(i)
                    if i.flow != .none { return r }
                    r = try b(i)
                    if i.flow != .none { return r }
                    return try c(i)
                }
            default:
                let codes = items.map { Node(run: compile($0)) }
                return { i throws(RhaiError) in
                    var last = Dynamic.unit
                    for c in codes {
                        last = try c.run(i)
                        if i.flow != .none { return last }
                    }
                    return last
                }
            }
        case .letVar(let slot, let value, _):
            guard let value else { return { i throws(RhaiError) in i.stack[i.base &+ slot] = .unit; return .unit } }
            let vc = compile(value)
            return { i throws(RhaiError) in
                let v = try vc(i)
                i.stack[i.base &+ slot] = v
                return .unit
            }
        case .ifElse(let cond, let then, let other, let pos):
            let cc = compile(cond), tc = compile(then)
            guard let other else {
                return { i throws(RhaiError) in
                    if try Compiler.bool(try cc(i), pos) { return try tc(i) }
                    return .unit
                }
            }
            let oc = compile(other)
            return { i throws(RhaiError) in
                if try Compiler.bool(try cc(i), pos) { return try tc(i) }
                return try oc(i)
            }
        case .switchExpr(let subject, let cases, let defaultCase, let pos):
            return compileSwitch(subject, cases, defaultCase, pos)
        case .whileLoop(let cond, let body, let pos):
            let cc = compile(cond ?? .constant(.bool(true))), bc = compile(body)
            return { i throws(RhaiError) in
                while true {
                    try i.tick(pos)
                    if !(try Compiler.bool(try cc(i), pos)) { return .unit }
                    _ = try bc(i)
                    if i.flow != .none {
                        if i.flow == .continueLoop { i.flow = .none; continue }
                        return Compiler.endLoop(i)
                    }
                }
            }
        case .doLoop(let body, let cond, let isUntil, let pos):
            let cc = compile(cond), bc = compile(body)
            return { i throws(RhaiError) in
                while true {
                    try i.tick(pos)
                    _ = try bc(i)
                    if i.flow != .none {
                        if i.flow == .continueLoop { i.flow = .none } else { return Compiler.endLoop(i) }
                    }
                    if try Compiler.bool(try cc(i), pos) == isUntil { return .unit }
                }
            }
        case .forLoop(let slot, let counter, let source, let body, let pos):
            return compileFor(slot, counter, source, compile(body), pos)
        case .breakLoop(let value, _):
            let vc = compile(value ?? .constant(.unit))
            return { i throws(RhaiError) in
                i.flowValue = try vc(i)
                i.flow = .breakLoop
                return .unit
            }
        case .continueLoop:
            return { i throws(RhaiError) in i.flow = .continueLoop; return .unit }
        case .returnValue(let value, _):
            let vc = compile(value ?? .constant(.unit))
            return { i throws(RhaiError) in
                i.flowValue = try vc(i)
                i.flow = .returnValue
                return .unit
            }
        case .throwValue(let value, let pos):
            let vc = compile(value ?? .constant(.unit))
            return { i throws(RhaiError) in
                let v = try vc(i)
                throw RhaiError(.runtime, v.preview(limit: min(i.stringCap, Interp.errorMessageCap)), at: pos, value: v)
            }
        case .constantAssignment(let name, let pos):
            return { _ throws(RhaiError) in
                throw RhaiError(.assignmentToConstant, "Cannot modify constant \(name)", at: pos)
            }
        case .rethrow(let pos):
            return { i throws(RhaiError) in
                throw i.caught.last ?? RhaiError(.runtime, "", at: pos, value: .unit)
            }
        case .tryCatch(let body, let slot, let handler, _):
            let bc = compile(body), hc = compile(handler)
            return { i throws(RhaiError) in
                let (savedBase, savedSp, savedDepth) = (i.base, i.sp, i.callDepth)
                do throws(RhaiError) {
                    return try bc(i)
                } catch {
                    switch error.kind {
                    case .tooManyOperations, .terminated, .stackOverflow, .dataTooLarge: throw error
                    default: break
                    }
                    for k in savedSp..<max(savedSp, i.sp) { i.stack[k] = .unit }
                    (i.base, i.sp, i.callDepth) = (savedBase, savedSp, savedDepth)
                    i.flow = .none
                    if let slot { i.stack[i.base &+ slot] = Compiler.caught(error) }
                    i.caught.append(error)
                    defer { i.caught.removeLast() }
                    return try hc(i)
                }
            }
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

    private func compileGlobal(_ name: String, _ pos: Pos) -> Code {
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
    private func compileLocalIndex(_ base: Expr, _ idx: Expr, _ pos: Pos) -> Code? {
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

    private func compileUnary(_ op: String, _ c: @escaping Code, _ pos: Pos) -> Code {
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
            return { i throws(RhaiError) in .bool(!(try Compiler.bool(try c(i), pos))) }
        default:
            return { i throws(RhaiError) in
                let v = try c(i)
                guard v.asFloat != nil else { throw RhaiError.functionNotFound("+", [v], pos) }
                return v
            }
        }
    }

    private func compileBinary(_ sym: String, _ l: @escaping Code, _ r: @escaping Code, _ pos: Pos) -> Code {
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

    // MARK: calls

    private func evalArgs(_ codes: [Node], _ i: Interp) throws(RhaiError) -> [Dynamic] {
        var argv: [Dynamic] = []
        argv.reserveCapacity(codes.count + 1)
        for c in codes { argv.append(try c.run(i)) }
        return argv
    }

    private func compileCall(_ name: String, _ args: [Expr], _ localSlot: Int?, refSlot: Int? = nil, _ pos: Pos) -> Code {
        if name == "is_shared", args.count == 1, case .local(let slot, _) = args[0] {
            return { i throws(RhaiError) in
                if case .shared = i.stack[i.base &+ slot] { return .bool(true) }
                return .bool(false)
            }
        }
        let argc = args.map { Node(run: compile($0)) }
        if let f = scriptFunction(name, arity: args.count) {
            compileFunction(f)
            if args.count == 1 {
                let a0 = argc[0].run
                return { i throws(RhaiError) in
                    try i.enterCall(pos)
                    let frameBase = i.sp
                    i.ensure(frameBase &+ f.slotCount &+ 1)
                    i.sp = frameBase &+ 1
                    let v: Dynamic
                    do throws(RhaiError) { v = try a0(i) } catch { i.sp = frameBase; throw error }
                    i.stack[frameBase &+ 1] = v
                    i.sp = frameBase &+ 2
                    return try i.runFrame(f, frameBase, pos)
                }
            }
            return { i throws(RhaiError) in
                try i.enterCall(pos)
                let frameBase = i.sp
                i.ensure(frameBase &+ f.slotCount &+ 1)
                i.sp = frameBase &+ 1
                do throws(RhaiError) {
                    for a in argc {
                        let v = try a.run(i)
                        i.stack[i.sp] = v
                        i.sp &+= 1
                    }
                } catch {
                    for k in frameBase..<i.sp { i.stack[k] = .unit }
                    i.sp = frameBase
                    throw error
                }
                return try i.runFrame(f, frameBase, pos)
            }
        }
        if name == "eval" {
            return { _ throws(RhaiError) in throw Library.evalDenied.at(pos) }
        }
        let evalArgs = self.evalArgs
        return { i throws(RhaiError) in
            var argv = try evalArgs(argc, i)
            if let localSlot, case .fnPtr(let fp) = i.local(localSlot).plain {
                return try i.call(fp, argv, pos: pos)
            }
            if let k = i.scope.index(of: name), case .fnPtr(let fp) = i.scope.entries[k].value {
                return try i.call(fp, argv, pos: pos)
            }
            guard let refSlot else { return try i.callNative(name, &argv, pos: pos) }
            // The variable's value moves into the call (staying uniquely referenced) and back out of it.
            let idx = i.base &+ refSlot
            if case .shared(let box) = i.stack[idx] {
                defer { box.value = argv[0] }
                return try i.callNative(name, &argv, pos: pos)
            }
            i.stack[idx] = .unit
            defer { i.stack[idx] = argv[0] }
            return try i.callNative(name, &argv, pos: pos)
        }
    }

    private func compileMethodCall(_ target: Expr, _ name: String, _ args: [Expr], _ nullSafe: NullSafety, _ constant: Bool, _ pos: Pos) -> Code {
        if name == "is_shared", args.isEmpty, case .local(let slot, _) = target, functions[name] == nil {
            return { i throws(RhaiError) in
                if case .shared = i.stack[i.base &+ slot] { return .bool(true) }
                return .bool(false)
            }
        }
        if name == "Fn" {
            // `Fn` makes function pointers in function-call style only
            let tc = compile(target)
            return { i throws(RhaiError) in throw RhaiError.functionNotFound("Fn", [try tc(i)], pos) }
        }
        let argc = args.map { Node(run: compile($0)) }
        let hasScript = functions[name] != nil
        let isCall = name == "call"
        let candidates = natives.table[name] ?? []
        let thisState: Interp.ThisState = constant ? .readOnly : .bound
        // argv[0] is reserved for the target
        let evalArgs: @Sendable (Interp) throws(RhaiError) -> [Dynamic] = { i throws(RhaiError) in
            var argv: [Dynamic] = [.unit]
            argv.reserveCapacity(argc.count + 1)
            for c in argc { argv.append(try c.run(i)) }
            return argv
        }
        let invoke: @Sendable (inout Dynamic, inout [Dynamic], Interp) throws(RhaiError) -> Dynamic = { v, argv, i throws(RhaiError) in
            if case .map(let m) = v, case .fnPtr(let fp)? = m[name] {
                return try i.call(fp, this: &v, args: Array(argv.dropFirst()), pos: pos, thisState: thisState)
            }
            if isCall, argv.count > 1, case .fnPtr(let fp) = argv[1] {
                if case .fnPtr = v {} else {
                    return try i.call(fp, this: &v, args: Array(argv.dropFirst(2)), pos: pos, thisState: thisState)
                }
            }
            if hasScript, let f = i.program.method(name, arity: argv.count - 1, thisType: v.typeName) {
                return try i.callScript(f, this: &v, args: Array(argv.dropFirst()), captured: [], pos: pos, thisState: thisState)
            }
            if argv.count > 1 { for x in argv.dropFirst() where x.isContainer { try i.checkNesting(x, pos) } }
            argv[0] = v
            v = .unit
            defer { v = argv[0] }
            let before = argv[0].storage
            for f in candidates where f.accepts(argv) {
                do throws(RhaiError) {
                    if f.scans { try i.scanWork(argv) }
                    let calls = Interp.callsBack(argv)
                    if calls { i.nativeRoots.append(argv) }
                    defer { if calls { i.nativeRoots.removeLast() } }
                    let r = try f.body(&argv, i)
                    if i.checkSizes { try i.checkSize(r, pos); try i.checkSize(argv[0], pos) }
                    if i.checksDataSize {
                        if r.isContainer { try i.checkDataSize(r, pos) }
                        if Interp.insertsData(argv) { try i.checkDataSize(argv[0], pos) }
                    }
                    try i.settle(r, receiver: argv[0].growth(from: before))
                    return r
                } catch {
                    throw error.at(pos)
                }
            }
            return try i.callNative(name, &argv, pos: pos)
        }
        if name == "push", argc.count == 1, !hasScript, candidates.count == Library.standard.table[name]?.count,
           nullSafe != .check, case .local(let slot, _) = target {
            // the built-in `push` onto a local array: appended in place, with the checks of a native call
            let vc = argc[0].run
            let pushesItself = if case .local(slot, _) = args[0] { true } else { false }
            return { i throws(RhaiError) in
                let value = try vc(i)
                let idx = i.base &+ slot
                guard var a = i.stack[idx].takeArray() else {
                    var argv: [Dynamic] = [.unit, value]
                    var v = i.stack[idx]
                    if case .shared(let box) = v {
                        // as the general path: locked while the call runs, itself as the argument a data race
                        if pushesItself { throw Interp.dataRace(argument: 2, of: name, pos) }
                        v = box.value
                        let wasLocked = box.locked
                        box.locked = true
                        defer { box.value = v; box.locked = wasLocked }
                        return try invoke(&v, &argv, i)
                    }
                    i.stack[idx] = .unit
                    defer { i.stack[idx] = v }
                    return try invoke(&v, &argv, i)
                }
                defer { i.stack[idx] = .array(a) }
                if value.isContainer { try i.checkNesting(value, pos) }
                let capacity = a.capacity
                a.append(value)
                do throws(RhaiError) {
                    if a.count > i.arrayCap { try i.checkSize(.array(a), pos) }
                    if i.checksDataSize, Interp.addsData(value) { try i.checkDataSize(.array(a), pos) }
                    // the growth `Dynamic.growth(from:)` measures: all of the storage when it moved
                    let moved = a.capacity != capacity
                    try i.settle(.unit, receiver: (moved ? a.count : 1) &* Dynamic.slotBytes)
                } catch {
                    throw error.at(pos)
                }
                return .unit
            }
        }
        if nullSafe != .check, case .local(let slot, _) = target {
            // an argument that is the target variable itself: a data race when the variable is shared
            let sameAsTarget = args.firstIndex { if case .local(slot, _) = $0 { true } else { false } }
            return { i throws(RhaiError) in
                var argv = try evalArgs(i)
                let idx = i.base &+ slot
                if case .shared(let box) = i.stack[idx] {
                    // a function pointer's own methods (`f.call(…)`) do not bind it as `this`
                    if case .fnPtr = box.value {
                        var v = box.value
                        defer { box.value = v }
                        return try invoke(&v, &argv, i)
                    }
                    if let k = sameAsTarget { throw Interp.dataRace(argument: k + 2, of: name, pos) }
                    // locked while the call runs: a closure over it called inside is a data race
                    var v = box.value
                    let wasLocked = box.locked
                    box.locked = true
                    defer { box.value = v; box.locked = wasLocked }
                    return try invoke(&v, &argv, i)
                }
                var v = i.stack[idx]
                i.stack[idx] = .unit
                defer { i.stack[idx] = v }
                return try invoke(&v, &argv, i)
            }
        }
        // a `.tail` call on a chain it can change: the chain's own `?.` step skips the call
        if nullSafe != .check, var found = lvalue(target) {
            found.assigns = false
            let lv = found
            return { i throws(RhaiError) in
                var argv = try evalArgs(i)
                return try lv.mutate(i) { v throws(RhaiError) in try invoke(&v, &argv, i) }
            }
        }
        let tc = compile(target)
        return { i throws(RhaiError) in
            var v = try tc(i)
            switch nullSafe {
            case .none: break
            case .check:
                i.chainSkipped = v.isUnit
                if i.chainSkipped { return .unit }
            case .tail:
                if i.chainSkipped, v.isUnit { return .unit }
            }
            var argv = try evalArgs(i)
            return try invoke(&v, &argv, i)
        }
    }

    // MARK: assignment

    private func compileAssign(_ target: Expr, _ op: BinOp?, _ rc: @escaping Code, _ pos: Pos) -> Code {
        if case .local(let slot, _) = target {
            guard let op else {
                return { i throws(RhaiError) in
                    let v = try rc(i)
                    i.setLocal(slot, v)
                    return .unit
                }
            }
            return { i throws(RhaiError) in
                let rhs = try rc(i)
                let idx = i.base &+ slot
                if case .int(let x) = i.stack[idx], case .int(let y) = rhs {
                    i.stack[idx] = try Ops.intOp(op, x, y, pos)
                    return .unit
                }
                var v = i.stack[idx]
                if case .shared(let box) = v {
                    v = .unit
                    var inner = box.value
                    defer { box.value = inner }
                    try Ops.compound(op, &inner, rhs, pos, i)
                    return .unit
                }
                i.stack[idx] = .unit
                defer { i.stack[i.base &+ slot] = v }
                try Ops.compound(op, &v, rhs, pos, i)
                return .unit
            }
        }
        let lv = lvalue(target)!
        if case .global(let name, _) = lv.root {
            return { i throws(RhaiError) in
                let rhs = try rc(i)
                if i.scope.isConstant(name) {
                    throw RhaiError(.assignmentToConstant, "Cannot modify constant \(name)", at: pos)
                }
                i.checkRootData = i.checksDataSize && Interp.addsData(rhs)
                return try lv.mutate(i) { v throws(RhaiError) in
                    if let op { try Ops.compound(op, &v, rhs, pos, i) } else { v = rhs }
                    return .unit
                }
            }
        }
        if case .index(.index(.local(let slot, _), let outerExpr, .none, let opos), let idxExpr, .none, let ipos) = target {
            // `a[k1][k2] = v` / `a[k1][k2] op= v` on a local array of arrays: the row changes in place
            let oc = compile(outerExpr), ic = compile(idxExpr)
            return { i throws(RhaiError) in
                let rhs = try rc(i)
                try i.checkNesting(rhs, pos)
                let outerKey = try oc(i), key = try ic(i)
                let idx = i.base &+ slot
                if case .int(let n1) = outerKey, case .int(let n2) = key, var a = i.stack[idx].takeArray() {
                    let k1: Int
                    do throws(RhaiError) { k1 = try Access.arrayIndex(n1, a.count, opos) } catch {
                        i.stack[idx] = .array(a)
                        throw error
                    }
                    if var row = a[k1].takeArray() {
                        do {
                            defer {
                                a[k1] = .array(row)
                                i.stack[idx] = .array(a)
                            }
                            let k2 = try Access.arrayIndex(n2, row.count, ipos)
                            if let op { try Ops.compound(op, &row[k2], rhs, pos, i) } else { row[k2] = rhs }
                        }
                        if i.checksDataSize, Interp.addsData(rhs) { try i.checkDataSize(i.stack[idx], opos) }
                        return .unit
                    }
                    i.stack[idx] = .array(a)
                }
                i.checkRootData = i.checksDataSize && Interp.addsData(rhs)
                return try lv.mutate(i, keys: [outerKey, key]) { v throws(RhaiError) in
                    if let op { try Ops.compound(op, &v, rhs, pos, i) } else { v = rhs }
                    return .unit
                }
            }
        }
        if case .index(.local(let slot, _), let idxExpr, .none, let ipos) = target {
            // `a[k] = v` / `a[k] op= v` on a local array: no key array, no walk
            let ic = compile(idxExpr)
            return { i throws(RhaiError) in
                let rhs = try rc(i)
                try i.checkNesting(rhs, pos)
                let key = try ic(i)
                let idx = i.base &+ slot
                if case .int(let n) = key, var a = i.stack[idx].takeArray() {
                    defer { i.stack[idx] = .array(a) }
                    let k = try Access.arrayIndex(n, a.count, ipos)
                    if let op { try Ops.compound(op, &a[k], rhs, pos, i) } else { a[k] = rhs }
                    if i.checksDataSize, Interp.addsData(rhs) { try i.checkDataSize(.array(a), pos) }
                    return .unit
                }
                if case .string(let name) = key, var m = i.stack[idx].takeMap() {
                    // one hash of the key: the entry changes in place, or a new one is inserted
                    do {
                        defer { i.stack[idx] = .map(m) }
                        if let at = m.index(forKey: name) {
                            if let op { try Ops.compound(op, &m.values[at], rhs, pos, i) } else { m.values[at] = rhs }
                            if i.checkSizes { try LValue.checkEntry(m.values[at], i, ipos) }
                        } else {
                            if m.count >= i.mapCap {
                                throw RhaiError(.dataTooLarge, "Size of object map exceeds the maximum limit (\(i.mapCap))", at: ipos)
                            }
                            var x = Dynamic.unit
                            do throws(RhaiError) {
                                if let op { try Ops.compound(op, &x, rhs, pos, i) } else { x = rhs }
                            } catch {
                                m[name] = x
                                throw error
                            }
                            m[name] = x
                            if i.checkSizes { try LValue.checkEntry(x, i, ipos) }
                        }
                    }
                    if i.checksDataSize, Interp.addsData(rhs) { try i.checkDataSize(i.stack[idx], ipos) }
                    return .unit
                }
                i.checkRootData = i.checksDataSize && Interp.addsData(rhs)
                return try lv.mutate(i, keys: [key]) { v throws(RhaiError) in
                    if let op { try Ops.compound(op, &v, rhs, pos, i) } else { v = rhs }
                    return .unit
                }
            }
        }
        return { i throws(RhaiError) in
            let rhs = try rc(i)
            try i.checkNesting(rhs, pos)
            i.checkRootData = i.checksDataSize && Interp.addsData(rhs)
            return try lv.mutate(i) { v throws(RhaiError) in
                if let op { try Ops.compound(op, &v, rhs, pos, i) } else { v = rhs }
                return .unit
            }
        }
    }

    func lvalue(_ e: Expr) -> LValue? {
        var steps: [LValue.Step] = []
        var cur = e
        while true {
            switch cur {
            case .index(let base, let idx, let nullSafe, let pos):
                steps.append(.index(compile(idx), pos, nullSafe: nullSafe))
                cur = base
            case .property(let base, let name, let nullSafe, let pos):
                steps.append(.property(name, pos, nullSafe: nullSafe))
                cur = base
            case .local(let slot, _):
                return LValue(root: .local(slot), steps: steps.reversed())
            case .this(let pos):
                return LValue(root: .this(pos), steps: steps.reversed())
            case .global(let name, let pos):
                return LValue(root: .global(name, pos), steps: steps.reversed())
            case .globalConst(let name, let pos):
                if let slot = topLevel[name] { return LValue(root: .absolute(slot), steps: steps.reversed()) }
                return LValue(root: .global(name, pos), steps: steps.reversed())
            default:
                return nil
            }
        }
    }

    // MARK: switch and for

    private func compileSwitch(_ subject: Expr, _ cases: [SwitchCase], _ defaultCase: Expr?, _ pos: Pos) -> Code {
        let sc = compile(subject)
        struct Compiled {
            var patterns: [SwitchCase.Pattern]
            var condition: Code?
            var body: Code
        }
        let compiled = cases.map { Compiled(patterns: $0.patterns, condition: $0.condition.map(compile), body: compile($0.body)) }
        let valueCases = compiled.filter { $0.patterns.contains { if case .value = $0 { true } else { false } } }
        let rangeCases = compiled.filter { $0.patterns.contains { if case .range = $0 { true } else { false } } }
        let dc = defaultCase.map(compile)
        return { i throws(RhaiError) in
            let v = try sc(i).plain
            for c in valueCases {
                for p in c.patterns {
                    guard case .value(let x) = p, x.tag == v.tag, x == v else { continue }
                    if let cond = c.condition, !(try Compiler.bool(try cond(i), pos)) { break }
                    return try c.body(i)
                }
            }
            if case .int(let n) = v {
                for c in rangeCases {
                    for p in c.patterns {
                        guard case .range(let lo, let hi, let inc) = p, n >= lo, inc ? n <= hi : n < hi else { continue }
                        if let cond = c.condition, !(try Compiler.bool(try cond(i), pos)) { break }
                        return try c.body(i)
                    }
                }
            }
            return try dc?(i) ?? .unit
        }
    }

    private func compileFor(_ slot: Int, _ counter: Int?, _ source: Expr, _ body: @escaping Code, _ pos: Pos) -> Code {
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
