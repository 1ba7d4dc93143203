extension Compiler {
    /// `break`, `continue` and `return` set `Interp.flow`, which blocks and loops check between
    /// statements. A statement that can leave such a flow pending (an `if`, `switch`, block, loop,
    /// `try` or the jump itself) can also be an operand: `r += if c { continue } else { 1 }`,
    /// `1 + (x ?? return 5)`. As an operand it is compiled by `compile` to throw `RhaiError.flowUnwind`
    /// when it leaves a flow pending, so the expression around it stops instead of going on with `()`;
    /// the nearest block (or function body) that can receive one catches it and returns with the
    /// flow still set. In statement position (`statement`) nothing changes: the flag alone.

    /// Whether `e` is a statement that can leave a flow pending.
    static func leavesFlow(_ e: Expr) -> Bool {
        switch e {
        case .block, .ifElse, .switchExpr, .whileLoop, .doLoop, .forLoop, .breakLoop, .continueLoop, .returnValue, .tryCatch:
            return true
        default:
            return false
        }
    }

    /// `e` compiled in statement position: a flow it leaves pending stays in the flag.
    func statement(_ e: Expr) -> Code {
        Compiler.leavesFlow(e) ? compileStatement(e) : compile(e)
    }

    /// `e` as an operand of an expression: the statement, and a throw of `flowUnwind` when it leaves a
    /// flow pending.
    func operandStatement(_ e: Expr) -> Code {
        let code = compileStatement(e)
        return { i throws(RhaiError) in
            let v = try code(i)
            if i.flow != .none { throw RhaiError.flowUnwind }
            return v
        }
    }

    /// `code` (a block or function body holding `items`) catching a `flowUnwind` thrown inside it, when
    /// one of the items can throw one; otherwise `code` itself.
    func catchingFlow(_ code: @escaping Code, of items: [Expr]) -> Code {
        guard items.contains(where: { mayUnwind($0, operand: false) }) else { return code }
        return { i throws(RhaiError) in
            do throws(RhaiError) {
                return try code(i)
            } catch {
                if error.unwindsFlow { return .unit }
                throw error
            }
        }
    }

    /// Whether running `e` can throw a `flowUnwind` out of it: whether it holds, as an operand, a
    /// statement that can leave a flow pending. Blocks and closures inside catch their own; too deep
    /// to walk counts as yes (catching is always safe).
    func mayUnwind(_ e: Expr, operand: Bool) -> Bool {
        if Interp.stackAddress() < stackLimit { return true }
        if operand, Compiler.leavesFlow(e) { return true }
        func any(_ list: [Expr]) -> Bool { list.contains { mayUnwind($0, operand: true) } }
        func one(_ x: Expr?) -> Bool { x.map { mayUnwind($0, operand: true) } ?? false }
        switch e {
        case .block, .closure, .constant, .local, .global, .globalConst, .this, .isDefVar, .continueLoop, .rethrow,
             .constantAssignment, .noop, .moduleVariable, .fail:
            return false
        case .ifElse(let c, let t, let o, _):
            return one(c) || mayUnwind(t, operand: false) || (o.map { mayUnwind($0, operand: false) } ?? false)
        case .switchExpr(let s, let cases, let d, _):
            return one(s) || cases.contains { one($0.condition) || mayUnwind($0.body, operand: false) }
                || (d.map { mayUnwind($0, operand: false) } ?? false)
        case .whileLoop(let c, let b, _): return one(c) || mayUnwind(b, operand: false)
        case .doLoop(let b, let c, _, _): return mayUnwind(b, operand: false) || one(c)
        case .forLoop(_, _, let s, let b, _): return one(s) || mayUnwind(b, operand: false)
        case .tryCatch(let b, _, let h, _): return mayUnwind(b, operand: false) || mayUnwind(h, operand: false)
        case .breakLoop(let v, _), .returnValue(let v, _), .throwValue(let v, _), .letVar(_, let v, _): return one(v)
        case .interpolated(let list, _), .array(let list, _), .call(_, let list, _, _, _), .callInCallerScope(_, let list, _, _),
             .moduleCall(_, _, let list, _):
            return any(list)
        case .map(let pairs, _): return pairs.contains { mayUnwind($0.1, operand: true) }
        case .unary(_, let a, _), .property(let a, _, _, _), .importModule(let a, _, _): return one(a)
        case .binary(_, let a, let b, _), .and(let a, let b, _), .or(let a, let b, _), .coalesce(let a, let b, _),
             .index(let a, let b, _, _), .assign(let a, _, let b, _):
            return one(a) || one(b)
        case .methodCall(let t, _, let args, _, _, _): return one(t) || any(args)
        }
    }
}
