extension Parser {
    static let assignOps: Set<String> = ["=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^="]

    func expressionOrAssignment() throws(RhaiError) -> Expr {
        let lhs = try expression()
        guard case .punct(let op) = cur.kind, Parser.assignOps.contains(op) else { return lhs }
        let pos = cur.pos
        advance()
        try checkAssignable(lhs, pos)
        let rhs = try expression()
        if cur.isPunct("=") { throw err("Assignments cannot be chained", cur.pos) }
        if let name = constantRoot(lhs) {
            return .block([rhs, .constantAssignment(name, pos)])
        }
        return .assign(lhs, op: op == "=" ? nil : String(op.dropLast()), rhs, pos)
    }

    func checkAssignable(_ e: Expr, _ pos: Pos) throws(RhaiError) {
        switch e {
        case .local(let slot, _):
            if isConstSlot(slot) { throw err("Cannot assign to a constant", pos) }
        case .global, .this: break
        case .index(let base, _, _, _), .property(let base, _, _, _):
            if case .local = base { return }
            try checkAssignable(base, pos)
        default: throw err("Cannot assign to this expression", pos)
        }
    }

    /// Whether a method call's object is a constant or part of one.
    func isConstantTarget(_ e: Expr) -> Bool {
        if case .local(let slot, _) = e { return constName(slot) != nil }
        return constantRoot(e) != nil
    }

    /// The constant an index/property assignment chain starts from, if any.
    func constantRoot(_ e: Expr) -> String? {
        switch e {
        case .index(let base, _, _, _), .property(let base, _, _, _):
            if case .local(let slot, _) = base { return constName(slot) }
            return constantRoot(base)
        default: return nil
        }
    }

    func constName(_ slot: Int) -> String? { ctx.constantName(slot: slot) }

    func isConstSlot(_ slot: Int) -> Bool { ctx.constantName(slot: slot) != nil }

    static func precedence(_ op: String) -> Int? {
        switch op {
        case "||", "|", "^": 30
        case "&&", "&": 60
        case "==", "!=": 90
        case "in", "!in": 110
        case "<", "<=", ">", ">=": 130
        case "??": 135
        case "..", "..=": 140
        case "+", "-": 150
        case "*", "/", "%": 180
        case "**": 190
        case "<<", ">>": 210
        default: nil
        }
    }

    func expression(_ minPrec: Int = 0) throws(RhaiError) -> Expr {
        let start = cur.pos
        try enter(start)
        defer { depth -= 1 }
        var lhs = try unary()
        var links = 0, levels = 0
        defer { chained -= links; depth -= levels }
        while true {
            var op: String
            var width = 1
            if case .punct(let s) = cur.kind { op = s } else if cur.isIdent("in") { op = "in" } else { break }
            if op == "!" {
                guard peekTok().isIdent("in") else { break }
                op = "!in"
                width = 2
            }
            guard let prec = Parser.precedence(op), prec >= minPrec else { break }
            let pos = cur.pos
            links += 1
            chained += 1
            if chained > Parser.maxChained { throw err("Expression exceeds maximum complexity", pos) }
            for _ in 0..<width { advance() }
            let rhs: Expr, rhsStart = cur.pos
            if (op == ".." || op == "..="), !startsExpression {
                rhs = .constant(.int(.max))  // `1..`: open at the end
            } else if op == "??", cur.isIdent("break") || cur.isIdent("continue") || cur.isIdent("return")
                        || cur.isIdent("throw") {
                rhs = try statement().0  // `x ?? return y`: the statement runs when x is ()
            } else {
                rhs = try expression(op == "**" ? prec : prec + 1)
            }
            // as in Rhai, each operator of a chain nests the rest of the expression one level deeper
            levels += 1
            try enter(pos)
            if op == "&&" || op == "||" {
                try checkBoolean(lhs, at: start)
                try checkBoolean(rhs, at: rhsStart)
            }
            switch op {
            case "&&": lhs = .and(lhs, rhs, pos)
            case "||": lhs = .or(lhs, rhs, pos)
            case "??": lhs = .coalesce(lhs, rhs, pos)
            default: lhs = .binary(op, lhs, rhs, pos)
            }
        }
        return lhs
    }

    func unary() throws(RhaiError) -> Expr {
        let t = cur
        if t.isPunct("-") || t.isPunct("+") || t.isPunct("!") {
            advance()
            try enter(t.pos)
            defer { depth -= 1 }
            let operand = try unary()
            if t.isPunct("-") {
                // the negation of the smallest integer does not fit: a float, as Rhai folds it
                if case .constant(.int(let v)) = operand { return .constant(v == .min ? .float(-Double(v)) : .int(-v)) }
                if case .constant(.float(let v)) = operand { return .constant(.float(-v)) }
            }
            if t.isPunct("+"), case .constant(let v) = operand, v.asFloat != nil { return operand }
            return .unary(String(t.describe), operand, t.pos)
        }
        return try postfix(try primary())
    }

    func postfix(_ base: Expr) throws(RhaiError) -> Expr {
        var e = base
        var levels = 0
        defer { depth -= levels }
        // after `?.` or `?[`, the rest of the chain is skipped too when the value is ()
        var afterCheck = false
        while true {
            let t = cur
            let nullSafe: NullSafety = t.isPunct("?.") || t.isPunct("?[") ? .check : afterCheck ? .tail : .none
            if nullSafe == .check { afterCheck = true }
            if t.isPunct(".") || t.isPunct("?.") {
                advance()
                guard case .ident(let name) = cur.kind else { throw err("Expecting a property or method name after '.'", cur.pos) }
                let pos = cur.pos
                advance()
                // a keyword names no property; the keyword functions (`type_of`, `call`, …) are methods only
                if (Parser.reserved.contains(name) && name != "global") || (Parser.keywordFunctions.contains(name) && !cur.isPunct("(")) {
                    throw err("'\(name)' is a reserved keyword", pos)
                }
                if cur.isPunct("(") {
                    let args = try argumentList()
                    e = .methodCall(e, name, args, nullSafe: nullSafe, constant: isConstantTarget(e), pos)
                } else {
                    e = .property(e, name, nullSafe: nullSafe, pos)
                }
            } else if t.isPunct("[") || t.isPunct("?[") {
                advance()
                let idx = try expression()
                try expect("]", "to close the index")
                if let message = Self.malformedIndex(e, idx) {
                    throw err(message, idx.pos.line == 0 ? t.pos : idx.pos)
                }
                e = .index(e, idx, nullSafe: nullSafe, t.pos)
            } else {
                return e
            }
            levels += 1
            try enter(t.pos)
        }
    }

    /// As Rhai's parser: a literal that can never be a boolean (a number, character, string, (), array
    /// or map) cannot be a condition or an operand of `&&`/`||`.
    func checkBoolean(_ e: Expr, at start: Pos) throws(RhaiError) {
        let what: String
        switch e {
        case .constant(let v):
            if case .bool = v { return }
            what = v.typeName
        case .interpolated: what = "string"
        case .array: what = "array"
        case .map: what = "map"
        default: return
        }
        throw err("Expecting a boolean expression, not \(what)", start)
    }

    /// As Rhai's parser: a literal number, character, boolean or () cannot be iterated.
    func checkIterable(_ e: Expr, at start: Pos) throws(RhaiError) {
        guard case .constant(let v) = e else { return }
        switch v {
        case .unit, .bool, .int, .float, .char:
            throw err("Expecting an iterable value, not \(v.typeName)", start)
        default: return
        }
    }

    func argumentList() throws(RhaiError) -> [Expr] {
        try expect("(", "to start the arguments")
        var args: [Expr] = []
        while !cur.isPunct(")") {
            args.append(try expression())
            if cur.isPunct(",") { advance() } else if !cur.isPunct(")") {
                if isEOF { throw err("Script is incomplete: expecting ')' to close the arguments", cur.pos) }
                throw err("Expecting ',' or ')' in the argument list, found '\(cur.describe)'", cur.pos)
            }
        }
        advance()
        return args
    }

    /// Whether the current token can begin an operand (an open-ended range stops where it cannot).
    var startsExpression: Bool {
        switch cur.kind {
        case .eof: return false
        case .punct(let s): return ["(", "[", "#{", "-", "+", "!", "|", "||", "..", "..="].contains(s)
        case .ident(let s): return s != "else" && s != "if"
        default: return true
        }
    }

    func checkStringLiteral(_ s: String, _ pos: Pos) throws(RhaiError) {
        if maxStringSize > 0 && s.utf8.count > maxStringSize {
            throw err("Length of string literal exceeds the maximum limit (\(maxStringSize))", pos)
        }
    }

    func primary() throws(RhaiError) -> Expr {
        let t = cur
        if t.isPunct("..") || t.isPunct("..=") { return .constant(.int(0)) }  // `..2`: open at the start
        switch t.kind {
        case .int(let v): advance(); return .constant(.int(v))
        case .float(let v): advance(); return .constant(.float(v))
        case .string(let s):
            try checkStringLiteral(s, t.pos)
            advance()
            return .constant(.string(s))
        case .char(let c): advance(); return .constant(.char(c))
        case .interpolated(let parts):
            advance()
            var exprs: [Expr] = []
            for part in parts {
                switch part {
                case .text(let s):
                    try checkStringLiteral(s, t.pos)
                    exprs.append(.constant(.string(s)))
                case .code(let tokens): exprs.append(try subBlock(tokens))
                }
            }
            if parts.count == 1, case .text = parts[0] { return exprs[0] }
            return .interpolated(exprs, t.pos)
        case .eof:
            throw err("Script is incomplete", t.pos)
        case .punct(let s):
            switch s {
            case "(":
                advance()
                if cur.isPunct(")") {
                    // `()` is one token in Rhai: `( )` is a parenthesis with nothing in it
                    guard cur.pos.line == t.pos.line && cur.pos.col == t.pos.col + 1 else { throw err("Unexpected ')'", cur.pos) }
                    advance()
                    return .constant(.unit)
                }
                let e = try expression()
                try expect(")", "to close the parenthesis")
                return e
            case "[":
                advance()
                var items: [Expr] = []
                while !cur.isPunct("]") {
                    if maxArraySize > 0 && items.count >= maxArraySize {
                        throw err("Size of array literal exceeds the maximum limit (\(maxArraySize))", cur.pos)
                    }
                    items.append(try expression())
                    if cur.isPunct(",") { advance() } else if !cur.isPunct("]") {
                        if isEOF { throw err("Script is incomplete: expecting ']' to close the array", t.pos) }
                        throw err("Expecting ',' or ']' in the array literal, found '\(cur.describe)'", cur.pos)
                    }
                }
                advance()
                return .array(items, t.pos)
            case "#{":
                advance()
                var items: [(String, Expr)] = []
                while !cur.isPunct("}") {
                    if maxMapSize > 0 && items.count >= maxMapSize {
                        throw err("Size of object map literal exceeds the maximum limit (\(maxMapSize))", cur.pos)
                    }
                    let key: String
                    switch cur.kind {
                    case .ident(let k):
                        if (Parser.reserved.contains(k) && k != "global") || Parser.keywordFunctions.contains(k) {
                            throw err("'\(k)' is a reserved keyword: quote it to use it as a property name", cur.pos)
                        }
                        key = k
                    case .string(let k): key = k
                    case .interpolated(let parts):
                        guard parts.count == 1, case .text(let k) = parts[0] else {
                            throw err("Property names cannot use string interpolation", cur.pos)
                        }
                        key = k
                    default:
                        if isEOF { throw err("Script is incomplete: expecting '}' to close the object map", t.pos) }
                        throw err("Expecting a property name in the object map, found '\(cur.describe)'", cur.pos)
                    }
                    if items.contains(where: { $0.0 == key }) { throw err("Duplicated property '\(key)' in the object map", cur.pos) }
                    advance()
                    try expect(":", "after the property name")
                    items.append((key, try expression()))
                    if cur.isPunct(",") { advance() } else if !cur.isPunct("}") {
                        throw err("Expecting ',' or '}' in the object map, found '\(cur.describe)'", cur.pos)
                    }
                }
                advance()
                return .map(items, t.pos)
            case "{": return try block()
            case "|", "||": return try closure()
            default: throw err("Unexpected '\(s)'", t.pos)
            }
        case .ident(let name):
            switch name {
            case "true": advance(); return .constant(.bool(true))
            case "false": advance(); return .constant(.bool(false))
            case "this":
                // Rhai's parser allows `this` only inside a function or closure body
                if ctx === main { throw err("'this' can only be used in functions", t.pos) }
                advance()
                return .this(t.pos)
            case "if": return try ifExpr()
            case "switch": return try switchExpr()
            case "while", "loop": return try whileExpr()
            case "do": return try doExpr()
            case "for": return try forExpr()
            case "try": return try tryExpr()
            case "global":
                advance()
                try expect("::", "after 'global'")
                guard case .ident(let v) = cur.kind else { throw err("Expecting a constant name after 'global::'", cur.pos) }
                let vPos = cur.pos
                advance()
                // `global::f(…)` is a call into a module named `global`, which no import can define
                if cur.isPunct("(") { return .moduleCall("global", v, try argumentList(), vPos) }
                return .globalConst(v, t.pos)
            case "fn": throw err("Functions can only be defined at global level", t.pos)
            default:
                if peekTok().isPunct("::"), !Parser.reserved.contains(name) {
                    // `module::member` of a module imported with `import … as module`; `a::b::member`
                    // reaches `b`, a module that `a` imported at its global level (the path is kept as "a::b")
                    advance()
                    advance()
                    var path = name
                    guard case .ident(var member) = cur.kind else { throw err("Expecting a name after '\(name)::'", cur.pos) }
                    var memberPos = cur.pos
                    advance()
                    while cur.isPunct("::") {
                        if path.utf8.count > Parser.maxModulePath {
                            throw err("Module path is too long (more than \(Parser.maxModulePath) bytes)", memberPos)
                        }
                        advance()
                        guard case .ident(let next) = cur.kind else { throw err("Expecting a name after '\(path)::\(member)::'", cur.pos) }
                        path += "::" + member
                        member = next
                        memberPos = cur.pos
                        advance()
                    }
                    let name = path
                    if cur.isPunct("(") { return .moduleCall(name, member, try argumentList(), memberPos) }
                    return .moduleVariable(name, member, memberPos)
                }
            }
            if Parser.reserved.contains(name) { throw err("'\(name)' is a reserved keyword", t.pos) }
            advance()
            if cur.isPunct("!") && peekTok().isPunct("(") {
                advance()
                let args = try argumentList()
                var visible: [String: Int] = [:]
                for scope in ctx.scopes { for b in scope { visible[b.name] = b.slot } }
                return .callInCallerScope(name, args, visible, t.pos)
            }
            if cur.isPunct("(") {
                let args = try argumentList()
                if name == "is_def_var", args.count == 1, case .constant(.string(let v)) = args[0] {
                    return .isDefVar(v, known: ctx.lookupLocal(v) != nil || lookupCapturable(v), t.pos)
                }
                // a variable as the first argument is passed by reference to built-in functions (`push(a, 1)`)
                var refSlot: Int? = nil
                if case .local(let slot, _)? = args.first, !isConstSlot(slot) { refSlot = slot }
                return .call(name, args, localSlot: ctx.lookup(name)?.slot, refSlot: refSlot, t.pos)
            }
            if let b = ctx.lookup(name) { return .local(b.slot, t.pos) }
            if ctx.parent != nil { ctx.noteFree(name, t.pos) }
            return .global(name, t.pos)
        }
    }

    func lookupCapturable(_ name: String) -> Bool {
        var c = ctx.parent
        while let cc = c { if cc.lookupLocal(name) != nil { return true }; c = cc.parent }
        return false
    }

    func subBlock(_ tokens: [Token]) throws(RhaiError) -> Expr {
        let savedToks = toks, savedP = p, savedLexer = lexer
        toks = tokens
        p = 0
        lexer = nil
        defer { toks = savedToks; p = savedP; lexer = savedLexer }
        ctx.pushScope()
        defer { ctx.popScope() }
        var items: [Expr] = []
        while !isEOF {
            if cur.isPunct(";") { advance(); continue }
            let (e, needSemi) = try statement()
            items.append(e)
            if cur.isPunct(";") { advance() } else if needSemi, !isEOF {
                throw err("Expecting ';' to terminate this statement", cur.pos)
            }
        }
        return items.count == 1 ? items[0] : .block(items)
    }

    func closure() throws(RhaiError) -> Expr {
        if maxFunctions > 0 && functions.count + anonCount >= maxFunctions {
            throw err("Number of functions defined exceeds the maximum limit (\(maxFunctions))", cur.pos)
        }
        let pos = cur.pos
        let fnCtx = FunctionContext(parent: ctx)
        var count = 0
        if cur.isPunct("||") {
            advance()
        } else {
            advance()
            var names: [String] = []
            while !cur.isPunct("|") {
                let pos = cur.pos
                let name = try identifier("a closure parameter")
                if names.contains(name) { throw err("Duplicated parameter '\(name)'", pos) }
                names.append(name)
                _ = fnCtx.declare(name)
                count += 1
                if cur.isPunct(",") { advance() } else if !cur.isPunct("|") {
                    throw err("Expecting ',' or '|' in the closure parameters", cur.pos)
                }
            }
            advance()
        }
        anonCount += 1
        let fn = ScriptFunction(name: "anon$\(anonCount)", paramCount: count, thisType: nil)
        let saved = ctx, savedLoops = loopDepth, savedCatch = catchDepth
        ctx = fnCtx
        (loopDepth, catchDepth) = (0, 0)
        defer { (ctx, loopDepth, catchDepth) = (saved, savedLoops, savedCatch) }
        try enter(pos)
        defer { depth -= 1 }
        // the body is one statement, as in Rhai: `|x| return x` and `|x| throw x` are closures too
        fn.body = cur.isPunct("{") ? try block() : try statement().0
        fn.slotCount = fnCtx.slotCount
        fn.captureCount = fnCtx.captures.count
        fn.captureSlots = fnCtx.captures.map(\.innerSlot)
        fn.freeNames = fnCtx.freeNames
        return .closure(fn, captures: fnCtx.captures, pos)
    }
}
