extension Parser {
    func statement() throws(RhaiError) -> (Expr, Bool) {
        let t = cur
        // as in Rhai, a statement nests its contents one level (a function definition starts afresh)
        let nests = !(t.isIdent("fn") || t.isIdent("private"))
        defer { if nests { depth -= 1 } }
        if nests { try enter(t.pos) }
        if case .ident(let kw) = t.kind {
            switch kw {
            case "let", "const": return (try letStatement(isConst: kw == "const"), true)
            case "fn", "private":
                if kw == "private" {
                    advance()
                    guard cur.isIdent("fn") else { throw err("Expecting 'fn' after 'private'", cur.pos) }
                }
                try functionDefinition(isPrivate: kw == "private")
                return (.noop, false)
            case "if": return (try ifExpr(), false)
            case "switch": return (try switchExpr(), false)
            case "while", "loop": return (try whileExpr(), false)
            case "do": return (try doExpr(), true)
            case "for": return (try forExpr(), false)
            case "try": return (try tryExpr(), false)
            case "break":
                if loopDepth == 0 { throw err("'break' can only be used inside a loop", t.pos) }
                advance()
                let value = endsStatement ? nil : try expression()
                return (.breakLoop(value, t.pos), true)
            case "continue":
                if loopDepth == 0 { throw err("'continue' can only be used inside a loop", t.pos) }
                advance()
                return (.continueLoop(t.pos), true)
            case "return":
                advance()
                let value = endsStatement ? nil : try expression()
                return (.returnValue(value, t.pos), true)
            case "throw":
                advance()
                if endsStatement && catchDepth > 0 { return (.rethrow(t.pos), true) }
                let value = endsStatement ? nil : try expression()
                return (.throwValue(value, t.pos), true)
            case "import":
                advance()
                let path = try expression()
                var alias: String? = nil
                if cur.isIdent("as") {
                    advance()
                    alias = try identifier("a module name after 'as'")
                }
                if let alias, ctx === main, main.scopes.count == 1 { subModules.insert(alias) }
                return (.importModule(path, alias: alias, t.pos), true)
            case "export":
                advance()
                if ctx !== main || main.scopes.count > 1 { throw err("'export' can only be used at global level", t.pos) }
                if cur.isIdent("let") || cur.isIdent("const") {
                    let declared = peekTok()
                    let e = try letStatement(isConst: cur.isIdent("const"))
                    if let b = main.scopes[0].last, case .ident(let name) = declared.kind, b.name == name {
                        exports.append((b.name, b.slot))
                    }
                    return (e, true)
                }
                let namePos = cur.pos
                let name = try identifier("a variable name after 'export'")
                var alias = name
                if cur.isIdent("as") { advance(); alias = try identifier("an alias after 'as'") }
                guard let b = ctx.lookup(name) else {
                    // Rhai looks the variable up when the statement runs
                    return (.fail(RhaiError(.variableNotFound, "Variable not found: \(name)", at: namePos)), true)
                }
                exports.append((alias, b.slot))
                return (.noop, true)
            default: break
            }
        }
        if t.isPunct("{") { return (try block(), false) }
        return (try expressionOrAssignment(), true)
    }

    var endsStatement: Bool { cur.isPunct(";") || cur.isPunct("}") || cur.isPunct(",") || isEOF }

    func letStatement(isConst: Bool) throws(RhaiError) -> Expr {
        let pos = cur.pos
        advance()
        let name = try identifier("a variable name")
        var value: Expr? = nil
        if cur.isPunct("=") {
            advance()
            value = try expression()
        }
        // Rhai counts the variables in scope when the `let` runs; a `let` repeating a name of its
        // own block reuses that variable instead of adding one
        if maxVariables > 0, !ctx.declaresInCurrentScope(name), liveVariables >= maxVariables {
            return .fail(tooManyVariables(pos))
        }
        let slot = ctx.declare(name, isConst: isConst)
        return .letVar(slot, value, pos)
    }

    /// The variables in scope as Rhai counts them (a name repeated in one block is one variable).
    var liveVariables: Int { ctx.liveVariables }

    func tooManyVariables(_ pos: Pos) -> RhaiError {
        RhaiError(.tooManyVariables, "Too many variables defined", at: pos)
    }

    static let typeNames: [String: String] = [
        "int": "i64", "i64": "i64", "float": "f64", "f64": "f64", "string": "string", "bool": "bool",
        "char": "char", "array": "array", "map": "map", "blob": "blob", "timestamp": "timestamp", "Fn": "Fn",
    ]

    func functionDefinition(isPrivate: Bool) throws(RhaiError) {
        let pos = cur.pos
        advance()
        guard ctx === main, main.scopes.count == 1 else { throw err("Functions can only be defined at global level", pos) }
        if maxFunctions > 0 && functions.count + anonCount >= maxFunctions {
            throw err("Number of functions defined exceeds the maximum limit (\(maxFunctions))", pos)
        }
        var thisType: String? = nil
        if case .ident(let prefix) = cur.kind, peekTok().isPunct(".") {
            advance()
            advance()
            thisType = Parser.typeNames[prefix] ?? prefix
        } else if case .string(let prefix) = cur.kind {
            // a quoted type name: `fn "My-Type".method()`
            guard peekTok().isPunct(".") else { throw err("Expecting '.' after the type name of a method", peekTok().pos) }
            advance()
            advance()
            thisType = Parser.typeNames[prefix] ?? prefix
        }
        let name = try fnName()
        try expect("(", "after the function name")
        let fnCtx = FunctionContext(parent: nil)
        var params: [String] = []
        while !cur.isPunct(")") {
            let pname = try identifier("a parameter name")
            if params.contains(pname) { throw err("Duplicated parameter '\(pname)'", cur.pos) }
            params.append(pname)
            _ = fnCtx.declare(pname)
            if cur.isPunct(",") { advance() } else if !cur.isPunct(")") { throw err("Expecting ',' or ')' in the parameter list", cur.pos) }
        }
        advance()
        if functions.contains(where: { $0.name == name && $0.paramCount == params.count && $0.thisType == thisType }) {
            throw err("Function '\(name)' with \(params.count) parameters is already defined", pos)
        }
        let fn = ScriptFunction(name: name, paramCount: params.count, thisType: thisType)
        fn.params = params
        fn.isPrivate = isPrivate
        let saved = ctx, savedLoops = loopDepth, savedCatch = catchDepth, savedDepth = depth, savedLimit = depthLimit
        ctx = fnCtx
        (loopDepth, catchDepth) = (0, 0)
        // a function body nests from its own start, up to the function limit (Rhai's max_function_expr_depth)
        if maxFunctionDepth > 0 { (depth, depthLimit) = (0, maxFunctionDepth) }
        defer { (ctx, loopDepth, catchDepth, depth, depthLimit) = (saved, savedLoops, savedCatch, savedDepth, savedLimit) }
        guard cur.isPunct("{") else { throw err("Expecting '{' to start the function body", cur.pos) }
        fn.body = try block()
        if maxVariables > 0, params.count > maxVariables {
            // Rhai refuses the call: the parameters alone exceed the variables a scope may hold
            fn.body = .fail(tooManyVariables(pos))
        }
        fn.slotCount = fnCtx.slotCount
        functions.append(fn)
    }

    func fnName() throws(RhaiError) -> String {
        guard case .ident(let name) = cur.kind else { throw err("Expecting a function name", cur.pos) }
        if Parser.reserved.contains(name) || Parser.keywordFunctions.contains(name) {
            throw err("'\(name)' is a reserved keyword and cannot name a function", cur.pos)
        }
        if name == "_" { throw err("'_' is not a valid name", cur.pos) }
        advance()
        return name
    }

    func block() throws(RhaiError) -> Expr {
        let pos = cur.pos
        try expect("{", "to start a block")
        try enter(pos)
        defer { depth -= 1 }
        ctx.pushScope()
        defer { ctx.popScope() }
        var items: [Expr] = []
        while !cur.isPunct("}") {
            if isEOF { throw err("Script is incomplete: expecting '}' to close the block", pos) }
            if cur.isPunct(";") { advance(); continue }
            let (e, needSemi) = try statement()
            items.append(e)
            if cur.isPunct(";") { advance() } else if needSemi, !cur.isPunct("}") {
                if isEOF { throw err("Script is incomplete: expecting '}' to close the block", pos) }
                throw err("Expecting ';' to terminate this statement", cur.pos)
            }
        }
        advance()
        return .block(items)
    }

    func ifExpr() throws(RhaiError) -> Expr {
        let pos = cur.pos
        advance()
        let cond = try condition()
        let then = try block()
        var other: Expr? = nil
        if cur.isIdent("else") {
            advance()
            other = cur.isIdent("if") ? try ifExpr() : try block()
        }
        return .ifElse(cond, then, other, pos)
    }

    /// A condition (if, while, do, a switch guard), checked as Rhai's parser checks it: not a block, and
    /// not a literal that can never be a boolean.
    func condition() throws(RhaiError) -> Expr {
        if cur.isPunct("{") { throw err("Expecting a boolean expression, not a statement block", cur.pos) }
        let start = cur.pos
        let e = try expression()
        try checkBoolean(e, at: start)
        return e
    }

    func whileExpr() throws(RhaiError) -> Expr {
        let pos = cur.pos
        let isLoop = cur.isIdent("loop")
        advance()
        let cond = isLoop ? nil : try condition()
        loopDepth += 1
        defer { loopDepth -= 1 }
        return .whileLoop(cond, try block(), pos)
    }

    func doExpr() throws(RhaiError) -> Expr {
        let pos = cur.pos
        advance()
        loopDepth += 1
        let body = try block()
        loopDepth -= 1
        let isUntil: Bool
        if cur.isIdent("while") { isUntil = false } else if cur.isIdent("until") { isUntil = true } else {
            throw err("Expecting 'while' or 'until' after the 'do' block", cur.pos)
        }
        advance()
        return .doLoop(body, try condition(), isUntil: isUntil, pos)
    }

    func forExpr() throws(RhaiError) -> Expr {
        let pos = cur.pos
        advance()
        var name: String
        var counter: String? = nil
        if cur.isPunct("(") {
            advance()
            name = try identifier("a loop variable")
            try expect(",", "between the loop variable and the counter")
            counter = try identifier("a counter variable")
            try expect(")", "after the loop variables")
        } else {
            name = try identifier("a loop variable")
        }
        guard cur.isIdent("in") else { throw err("Expecting 'in' after the loop variable", cur.pos) }
        advance()
        let sourceStart = cur.pos
        let source = try expression()
        try checkIterable(source, at: sourceStart)
        // Rhai refuses the loop, before it evaluates the source, when its variables would not fit
        let overLimit = maxVariables > 0 && liveVariables >= maxVariables - (counter == nil ? 0 : 1)
        ctx.pushScope()
        defer { ctx.popScope() }
        let slot = ctx.declare(name)
        let counterSlot = counter.map { ctx.declare($0) }
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try block()
        if overLimit { return .fail(tooManyVariables(pos)) }
        return .forLoop(slot, counter: counterSlot, source, body, pos)
    }

    func tryExpr() throws(RhaiError) -> Expr {
        let pos = cur.pos
        advance()
        let body = try block()
        guard cur.isIdent("catch") else { throw err("Expecting 'catch' after the 'try' block", cur.pos) }
        advance()
        let overLimit = maxVariables > 0 && liveVariables >= maxVariables
        ctx.pushScope()
        defer { ctx.popScope() }
        var slot: Int? = nil
        var catchPos = pos
        if cur.isPunct("(") {
            advance()
            catchPos = cur.pos
            slot = ctx.declare(try identifier("a variable for the error"))
            try expect(")", "after the error variable")
        }
        catchDepth += 1
        defer { catchDepth -= 1 }
        let handler = try block()
        // Rhai refuses to bind the error variable (when an error is caught) if it would not fit
        if overLimit, slot != nil { return .tryCatch(body, catchSlot: slot, .fail(tooManyVariables(catchPos)), pos) }
        return .tryCatch(body, catchSlot: slot, handler, pos)
    }

    func switchExpr() throws(RhaiError) -> Expr {
        let pos = cur.pos
        advance()
        let subject = try expression()
        try expect("{", "to start the switch cases")
        var cases: [SwitchCase] = []
        var defaultCase: Expr? = nil
        var hasRange = false
        while !cur.isPunct("}") {
            if isEOF { throw err("Script is incomplete: expecting '}' to close the switch", pos) }
            let casePos = cur.pos
            var patterns: [SwitchCase.Pattern] = []
            var isDefault = false
            if cur.isIdent("_") {
                advance()
                isDefault = true
            } else {
                repeat {
                    if cur.isPunct("|") { advance() }
                    let patternPos = cur.pos
                    let pattern = try switchPattern()
                    switch pattern {
                    case .value(let v):
                        switch v {
                        case .int, .float:
                            if hasRange { throw err("Integer cases must come before range cases", patternPos) }
                        default: break
                        }
                    case .range(let lo, let hi, let inclusive):
                        // An empty range contains no number: it is a case for an equal range value only.
                        if inclusive ? lo <= hi : lo < hi { hasRange = true }
                    }
                    patterns.append(pattern)
                } while cur.isPunct("|")
            }
            var condition: Expr? = nil
            if cur.isIdent("if") {
                if isDefault { throw err("The default case cannot have a condition", cur.pos) }
                advance()
                condition = try self.condition()
            }
            try expect("=>", "after the switch case")
            let body: Expr
            if cur.isPunct("{") {
                body = try block()
            } else if cur.isIdent("break") || cur.isIdent("continue") || cur.isIdent("return") || cur.isIdent("throw") {
                body = try statement().0
            } else {
                body = try expressionOrAssignment()
            }
            if isDefault {
                if defaultCase != nil { throw err("Duplicated default case", casePos) }
                defaultCase = body
            } else {
                if defaultCase != nil { throw err("The default case must be the last", casePos) }
                cases.append(SwitchCase(patterns: patterns, condition: condition, body: body))
            }
            if cur.isPunct(",") { advance() } else if !cur.isPunct("}") {
                if case .block = body { continue }
                throw err("Expecting ',' between switch cases", cur.pos)
            }
        }
        advance()
        return .switchExpr(subject, cases, defaultCase: defaultCase, pos)
    }

    func switchPattern() throws(RhaiError) -> SwitchCase.Pattern {
        let pos = cur.pos
        let e = try unary()
        guard let v = Parser.literalValue(e) else { throw err("Switch cases must be literal values", pos) }
        if cur.isPunct("..") || cur.isPunct("..=") {
            let inclusive = cur.isPunct("..=")
            advance()
            let e2 = startsExpression ? try unary() : .constant(.int(.max))
            guard case .int(let lo) = v, case .constant(.int(let hi)) = e2 else {
                throw err("Switch ranges must be integer constants", pos)
            }
            return .range(lo, hi, inclusive: inclusive)
        }
        return .value(v)
    }

    /// The value of a literal: a constant, or an array or object map literal of literals.
    static func literalValue(_ e: Expr) -> Dynamic? {
        switch e {
        case .constant(let v): return v
        case .array(let items, _):
            var out: [Dynamic] = []
            for item in items {
                guard let v = literalValue(item) else { return nil }
                out.append(v)
            }
            return .array(out)
        case .map(let items, _):
            var out: [String: Dynamic] = [:]
            for (k, item) in items {
                guard let v = literalValue(item) else { return nil }
                out[k] = v
            }
            return .map(out)
        default: return nil
        }
    }
}
