/// Recursive-descent parser with Pratt expressions; resolves variables to frame slots as it goes.
/// Nesting is bounded by `maxDepth` so hostile input cannot exhaust the stack. Tokens are read from
/// the lexer as parsing reaches them, so the first problem in the source is the one reported.
final class Parser {
    private var toks: [Token]
    /// The source of further tokens (nil once it reached the end or failed, and inside a sub-block).
    private var lexer: Lexer?
    /// The lexer's error, reported when parsing reaches the place it stopped.
    private var lexError: RhaiError?
    private var p = 0
    private var ctx: FunctionContext
    private let main: FunctionContext
    private(set) var functions: [ScriptFunction] = []
    /// Variables the script exports when imported as a module: name and top-level slot.
    private(set) var exports: [(name: String, slot: Int)] = []
    /// Names of the modules the script imports at global level: its sub-modules when it is imported.
    private(set) var subModules: Set<String> = []
    private var depth = 0
    /// `maxDepth`, or `maxFunctionDepth` inside a function body.
    private lazy var depthLimit = maxDepth
    private let maxDepth: Int
    private var anonCount = 0
    private var loopDepth = 0
    /// Operators chained along the current parse path (`a + b + c …` nests left): bounded so compiled
    /// code stays shallow enough to free and run without deep native recursion.
    private var chained = 0
    private static let maxChained = 2_000
    private var catchDepth = 0

    private let stackLimit: UInt
    /// Rhai's limits on literals, functions and variables (0: none); set before parsing.
    var maxArraySize = 0, maxMapSize = 0, maxStringSize = 0
    var maxFunctions = 0, maxVariables = 0
    /// Nesting allowed inside function bodies (0: `maxDepth`).
    var maxFunctionDepth = 0

    init(tokens: [Token], maxDepth: Int, stackLimit: UInt = 0) {
        toks = tokens
        self.stackLimit = stackLimit
        main = FunctionContext(parent: nil)
        ctx = main
        self.maxDepth = maxDepth
    }

    convenience init(lexer: Lexer, maxDepth: Int, stackLimit: UInt = 0) {
        self.init(tokens: [], maxDepth: maxDepth, stackLimit: stackLimit)
        self.lexer = lexer
        fill(0)
    }

    private func fill(_ index: Int) {
        while toks.count <= index, lexer != nil {
            do {
                let t = try lexer!.next()
                toks.append(t)
                if case .eof = t.kind { lexer = nil }
            } catch {
                lexError = error
                toks.append(Token(kind: .eof, pos: Pos(error.line, error.column)))
                lexer = nil
            }
        }
    }

    struct Script {
        var body: Expr
        var slotCount: Int
        var topLevel: [FunctionContext.Binding]
        var functions: [ScriptFunction]
        var exports: [(name: String, slot: Int)]
        var subModules: Set<String> = []
    }

    func parseScript() throws(RhaiError) -> Script {
        let script: Script
        do {
            script = try parseStatements()
        } catch {
            if let lexError, p == toks.count - 1 || (error.line, error.column) >= (lexError.line, lexError.column) {
                throw lexError
            }
            throw error
        }
        if let lexError { throw lexError }
        return script
    }

    private func parseStatements() throws(RhaiError) -> Script {
        var items: [Expr] = []
        while true {
            if case .eof = cur.kind { break }
            if cur.isPunct(";") { advance(); continue }
            let (e, needSemi) = try statement()
            items.append(e)
            if cur.isPunct(";") { advance() } else if needSemi, !isEOF {
                throw err("Expecting ';' to terminate this statement", cur.pos)
            }
        }
        return Script(body: .block(items), slotCount: main.slotCount, topLevel: main.scopes[0], functions: functions, exports: exports,
                      subModules: subModules)
    }

    /// Longest `a::b::…` module path before its member.
    static let maxModulePath = 1_024

    // MARK: tokens

    private var cur: Token { toks[p] }
    private var isEOF: Bool { if case .eof = cur.kind { return true }; return false }
    private func peekTok(_ k: Int = 1) -> Token {
        if p + k >= toks.count { fill(p + k) }
        return toks[min(p + k, toks.count - 1)]
    }

    private func advance() {
        if p + 1 >= toks.count { fill(p + 1) }
        if p < toks.count - 1 { p += 1 }
    }

    private func err(_ msg: String, _ pos: Pos) -> RhaiError { RhaiError(.parsing, msg, at: pos) }

    private func expect(_ punct: String, _ what: String) throws(RhaiError) {
        guard cur.isPunct(punct) else {
            if isEOF { throw err("Script is incomplete: expecting '\(punct)' \(what)", cur.pos) }
            throw err("Expecting '\(punct)' \(what), found '\(cur.describe)'", cur.pos)
        }
        advance()
    }

    private func identifier(_ what: String) throws(RhaiError) -> String {
        guard case .ident(let name) = cur.kind else { throw err("Expecting \(what), found '\(cur.describe)'", cur.pos) }
        if Parser.reserved.contains(name) || Parser.keywordFunctions.contains(name) {
            throw err("'\(name)' is a reserved keyword", cur.pos)
        }
        if name == "_" { throw err("'_' is not a valid name", cur.pos) }
        advance()
        return name
    }

    /// Keywords that are functions: they can be called, but cannot name a variable or a function.
    private static let keywordFunctions: Set<String> = [
        "Fn", "call", "curry", "is_shared", "is_def_fn", "is_def_var", "type_of", "print", "debug", "eval",
    ]

    private static let reserved: Set<String> = [
        "let", "const", "if", "else", "switch", "do", "while", "until", "loop", "for", "in", "break", "continue",
        "return", "throw", "try", "catch", "fn", "private", "import", "export", "as", "true", "false", "this",
        "global", "var", "static", "shared", "goto", "exit", "match", "case", "public", "protected", "new", "use",
        "with", "module", "package", "super", "thread", "spawn", "go", "sync", "async", "await", "yield", "default",
        "void", "null", "nil", "is",
    ]

    private func enter(_ pos: Pos) throws(RhaiError) {
        depth += 1
        if (depthLimit > 0 && depth > depthLimit) || Interp.stackAddress() < stackLimit {
            throw err("Expression exceeds maximum complexity", pos)
        }
    }

    // MARK: statements

    private func statement() throws(RhaiError) -> (Expr, Bool) {
        let t = cur
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
                guard let b = ctx.lookup(name) else { throw err("Variable not found: \(name)", namePos) }
                exports.append((alias, b.slot))
                return (.noop, true)
            default: break
            }
        }
        if t.isPunct("{") { return (try block(), false) }
        return (try expressionOrAssignment(), true)
    }

    private var endsStatement: Bool { cur.isPunct(";") || cur.isPunct("}") || cur.isPunct(",") || isEOF }

    private func letStatement(isConst: Bool) throws(RhaiError) -> Expr {
        let pos = cur.pos
        advance()
        let name = try identifier("a variable name")
        var value: Expr? = nil
        if cur.isPunct("=") {
            advance()
            value = try expression()
        }
        if maxVariables > 0, ctx.scopes.reduce(0, { $0 + $1.count }) >= maxVariables {
            // Rhai counts the variables in scope when the `let` runs
            return .fail(RhaiError(.tooManyVariables, "Too many variables defined", at: pos))
        }
        let slot = ctx.declare(name, isConst: isConst)
        return .letVar(slot, value, pos)
    }

    private static let typeNames: [String: String] = [
        "int": "i64", "i64": "i64", "float": "f64", "f64": "f64", "string": "string", "bool": "bool",
        "char": "char", "array": "array", "map": "map", "blob": "blob", "timestamp": "timestamp", "Fn": "Fn",
    ]

    private func functionDefinition(isPrivate: Bool) throws(RhaiError) {
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
        fn.slotCount = fnCtx.slotCount
        functions.append(fn)
    }

    private func fnName() throws(RhaiError) -> String {
        guard case .ident(let name) = cur.kind else { throw err("Expecting a function name", cur.pos) }
        if Parser.reserved.contains(name) || Parser.keywordFunctions.contains(name) {
            throw err("'\(name)' is a reserved keyword and cannot name a function", cur.pos)
        }
        if name == "_" { throw err("'_' is not a valid name", cur.pos) }
        advance()
        return name
    }

    private func block() throws(RhaiError) -> Expr {
        let pos = cur.pos
        try expect("{", "to start a block")
        try enter(pos)
        defer { depth -= 1 }
        ctx.scopes.append([])
        defer { ctx.scopes.removeLast() }
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

    private func ifExpr() throws(RhaiError) -> Expr {
        let pos = cur.pos
        advance()
        let cond = try expression()
        let then = try block()
        var other: Expr? = nil
        if cur.isIdent("else") {
            advance()
            other = cur.isIdent("if") ? try ifExpr() : try block()
        }
        return .ifElse(cond, then, other, pos)
    }

    private func whileExpr() throws(RhaiError) -> Expr {
        let pos = cur.pos
        let isLoop = cur.isIdent("loop")
        advance()
        let cond = isLoop ? nil : try expression()
        loopDepth += 1
        defer { loopDepth -= 1 }
        return .whileLoop(cond, try block(), pos)
    }

    private func doExpr() throws(RhaiError) -> Expr {
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
        return .doLoop(body, try expression(), isUntil: isUntil, pos)
    }

    private func forExpr() throws(RhaiError) -> Expr {
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
        let source = try expression()
        ctx.scopes.append([])
        defer { ctx.scopes.removeLast() }
        let slot = ctx.declare(name)
        let counterSlot = counter.map { ctx.declare($0) }
        loopDepth += 1
        defer { loopDepth -= 1 }
        let body = try block()
        return .forLoop(slot, counter: counterSlot, source, body, pos)
    }

    private func tryExpr() throws(RhaiError) -> Expr {
        let pos = cur.pos
        advance()
        let body = try block()
        guard cur.isIdent("catch") else { throw err("Expecting 'catch' after the 'try' block", cur.pos) }
        advance()
        ctx.scopes.append([])
        defer { ctx.scopes.removeLast() }
        var slot: Int? = nil
        if cur.isPunct("(") {
            advance()
            slot = ctx.declare(try identifier("a variable for the error"))
            try expect(")", "after the error variable")
        }
        catchDepth += 1
        defer { catchDepth -= 1 }
        return .tryCatch(body, catchSlot: slot, try block(), pos)
    }

    private func switchExpr() throws(RhaiError) -> Expr {
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
                        if hasRange, case .int = v { throw err("Integer cases must come before range cases", patternPos) }
                    case .range: hasRange = true
                    }
                    patterns.append(pattern)
                } while cur.isPunct("|")
            }
            var condition: Expr? = nil
            if cur.isIdent("if") {
                if isDefault { throw err("The default case cannot have a condition", cur.pos) }
                advance()
                condition = try expression()
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

    private func switchPattern() throws(RhaiError) -> SwitchCase.Pattern {
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
    private static func literalValue(_ e: Expr) -> Dynamic? {
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

    // MARK: expressions

    private static let assignOps: Set<String> = ["=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^="]

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

    private func checkAssignable(_ e: Expr, _ pos: Pos) throws(RhaiError) {
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
    private func isConstantTarget(_ e: Expr) -> Bool {
        if case .local(let slot, _) = e { return constName(slot) != nil }
        return constantRoot(e) != nil
    }

    /// The constant an index/property assignment chain starts from, if any.
    private func constantRoot(_ e: Expr) -> String? {
        switch e {
        case .index(let base, _, _, _), .property(let base, _, _, _):
            if case .local(let slot, _) = base { return constName(slot) }
            return constantRoot(base)
        default: return nil
        }
    }

    private func constName(_ slot: Int) -> String? { ctx.constantName(slot: slot) }

    private func isConstSlot(_ slot: Int) -> Bool { ctx.constantName(slot: slot) != nil }

    private static func precedence(_ op: String) -> Int? {
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
        try enter(cur.pos)
        defer { depth -= 1 }
        var lhs = try unary()
        var links = 0
        defer { chained -= links }
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
            let rhs: Expr
            if (op == ".." || op == "..="), !startsExpression {
                rhs = .constant(.int(.max))  // `1..`: open at the end
            } else {
                rhs = try expression(op == "**" ? prec : prec + 1)
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

    private func unary() throws(RhaiError) -> Expr {
        let t = cur
        if t.isPunct("-") || t.isPunct("+") || t.isPunct("!") {
            advance()
            try enter(t.pos)
            defer { depth -= 1 }
            if t.isPunct("-"), case .minIntMagnitude = cur.kind {
                advance()
                return .constant(.int(.min))
            }
            let operand = try unary()
            if t.isPunct("-") {
                if case .constant(.int(let v)) = operand { return .constant(.int(v == .min ? v : -v)) }
                if case .constant(.float(let v)) = operand { return .constant(.float(-v)) }
            }
            if t.isPunct("+"), case .constant(let v) = operand, v.asFloat != nil { return operand }
            return .unary(String(t.describe), operand, t.pos)
        }
        return try postfix(try primary())
    }

    private func postfix(_ base: Expr) throws(RhaiError) -> Expr {
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
                if case .constant(let k) = idx {
                    if case .array = e, k.asInt == nil {
                        throw err("Array access expects integer index, but gets \(k.typeName)", idx.pos.line == 0 ? t.pos : idx.pos)
                    }
                    if case .map = e, k.typeName != "string" {
                        throw err("Object map access expects string index, but gets \(k.typeName)", idx.pos.line == 0 ? t.pos : idx.pos)
                    }
                }
                e = .index(e, idx, nullSafe: nullSafe, t.pos)
            } else {
                return e
            }
            levels += 1
            try enter(t.pos)
        }
    }

    private func argumentList() throws(RhaiError) -> [Expr] {
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
    private var startsExpression: Bool {
        switch cur.kind {
        case .eof: return false
        case .punct(let s): return ["(", "[", "#{", "-", "+", "!", "|", "||", "..", "..="].contains(s)
        case .ident(let s): return s != "else" && s != "if"
        default: return true
        }
    }

    private func checkStringLiteral(_ s: String, _ pos: Pos) throws(RhaiError) {
        if maxStringSize > 0 && s.utf8.count > maxStringSize {
            throw err("Length of string literal exceeds the maximum limit (\(maxStringSize))", pos)
        }
    }

    private func primary() throws(RhaiError) -> Expr {
        let t = cur
        if t.isPunct("..") || t.isPunct("..=") { return .constant(.int(0)) }  // `..2`: open at the start
        switch t.kind {
        case .int(let v): advance(); return .constant(.int(v))
        case .minIntMagnitude: throw err("Integer literal too large: 9223372036854775808", t.pos)
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
                if cur.isPunct(")") { advance(); return .constant(.unit) }
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
                    case .ident(let k): key = k
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
            case "this": advance(); return .this(t.pos)
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
                advance()
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
            return .global(name, t.pos)
        }
    }

    private func lookupCapturable(_ name: String) -> Bool {
        var c = ctx.parent
        while let cc = c { if cc.lookupLocal(name) != nil { return true }; c = cc.parent }
        return false
    }

    private func subBlock(_ tokens: [Token]) throws(RhaiError) -> Expr {
        let savedToks = toks, savedP = p, savedLexer = lexer
        toks = tokens
        p = 0
        lexer = nil
        defer { toks = savedToks; p = savedP; lexer = savedLexer }
        ctx.scopes.append([])
        defer { ctx.scopes.removeLast() }
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

    private func closure() throws(RhaiError) -> Expr {
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
        fn.body = cur.isPunct("{") ? try block() : try expressionOrAssignment()
        fn.slotCount = fnCtx.slotCount
        fn.captureCount = fnCtx.captures.count
        fn.captureSlots = fnCtx.captures.map(\.innerSlot)
        return .closure(fn, captures: fnCtx.captures, pos)
    }
}
