extension Compiler {
    /// Blocks, variables, control flow and exceptions.
    func compileStatement(_ e: Expr) -> Code {
        switch e {
        case .block(let items):
            return catchingFlow(compileBlock(items), of: items)
        case .letVar(let slot, let value, _):
            guard let value else { return { i throws(RhaiError) in i.stack[i.base &+ slot] = .unit; return .unit } }
            let vc = compile(value)
            return { i throws(RhaiError) in
                let v = try vc(i)
                i.stack[i.base &+ slot] = v
                return .unit
            }
        case .ifElse(let cond, let then, let other, let pos):
            let cc = compile(cond), tc = statement(then)
            guard let other else {
                return { i throws(RhaiError) in
                    if try Compiler.bool(try cc(i), pos) { return try tc(i) }
                    return .unit
                }
            }
            let oc = statement(other)
            return { i throws(RhaiError) in
                if try Compiler.bool(try cc(i), pos) { return try tc(i) }
                return try oc(i)
            }
        case .switchExpr(let subject, let cases, let defaultCase, let pos):
            return compileSwitch(subject, cases, defaultCase, pos)
        case .whileLoop(let cond, let body, let pos):
            let cc = compile(cond ?? .constant(.bool(true))), bc = statement(body)
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
            let cc = compile(cond), bc = statement(body)
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
            return compileFor(slot, counter, source, statement(body), pos)
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
            let bc = statement(body), hc = statement(handler)
            return { i throws(RhaiError) in
                let (savedBase, savedSp, savedDepth) = (i.base, i.sp, i.callDepth)
                do throws(RhaiError) {
                    return try bc(i)
                } catch {
                    if error.unwindsFlow { throw error }
                    switch error.kind {
                    // as Rhai's is_catchable: limits and parse errors (parse_json's) pass through
                    case .tooManyOperations, .terminated, .stackOverflow, .dataTooLarge, .parsing: throw error
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
        default:
            preconditionFailure("not a statement: \(e)")
        }
    }

    /// A block's statements in order, stopping when one leaves a flow pending.
    private func compileBlock(_ items: [Expr]) -> Code {
        switch items.count {
        case 0: return { _ throws(RhaiError) in .unit }
        case 1: return statement(items[0])
        case 2:
            let a = statement(items[0]), b = statement(items[1])
            return { i throws(RhaiError) in
                let r = try a(i)
                if i.flow != .none { return r }
                return try b(i)
            }
        case 3:
            let a = statement(items[0]), b = statement(items[1]), c = statement(items[2])
            return { i throws(RhaiError) in
                var r = try a(i)
                if i.flow != .none { return r }
                r = try b(i)
                if i.flow != .none { return r }
                return try c(i)
            }
        default:
            let codes = items.map { Node(run: statement($0)) }
            return { i throws(RhaiError) in
                var last = Dynamic.unit
                for c in codes {
                    last = try c.run(i)
                    if i.flow != .none { return last }
                }
                return last
            }
        }
    }
}
