/// Recursive-descent parser with Pratt expressions; resolves variables to frame slots as it goes.
/// Nesting is bounded by `maxDepth` so hostile input cannot exhaust the stack. Tokens are read from
/// the lexer as parsing reaches them, so the first problem in the source is the one reported.
final class Parser {
    var toks: [Token]
    /// The source of further tokens (nil once it reached the end or failed, and inside a sub-block).
    var lexer: Lexer?
    /// The lexer's error, reported when parsing reaches the place it stopped.
    var lexError: RhaiError?
    var p = 0
    var ctx: FunctionContext
    let main: FunctionContext
    var functions: [ScriptFunction] = []
    /// Variables the script exports when imported as a module: name and top-level slot.
    var exports: [(name: String, slot: Int)] = []
    /// Names of the modules the script imports at global level: its sub-modules when it is imported.
    var subModules: Set<String> = []
    var depth = 0
    /// `maxDepth`, or `maxFunctionDepth` inside a function body.
    lazy var depthLimit = maxDepth
    let maxDepth: Int
    var anonCount = 0
    var loopDepth = 0
    /// Operators chained along the current parse path (`a + b + c …` nests left): bounded so compiled
    /// code stays shallow enough to free and run without deep native recursion.
    var chained = 0
    static let maxChained = 2_000
    var catchDepth = 0

    let stackLimit: UInt
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

    func fill(_ index: Int) {
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

    func parseStatements() throws(RhaiError) -> Script {
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

    var cur: Token { toks[p] }
    var isEOF: Bool { if case .eof = cur.kind { return true }; return false }
    func peekTok(_ k: Int = 1) -> Token {
        if p + k >= toks.count { fill(p + k) }
        return toks[min(p + k, toks.count - 1)]
    }

    func advance() {
        if p + 1 >= toks.count { fill(p + 1) }
        if p < toks.count - 1 { p += 1 }
    }

    func err(_ msg: String, _ pos: Pos) -> RhaiError { RhaiError(.parsing, msg, at: pos) }

    func expect(_ punct: String, _ what: String) throws(RhaiError) {
        guard cur.isPunct(punct) else {
            if isEOF { throw err("Script is incomplete: expecting '\(punct)' \(what)", cur.pos) }
            throw err("Expecting '\(punct)' \(what), found '\(cur.describe)'", cur.pos)
        }
        advance()
    }

    func identifier(_ what: String) throws(RhaiError) -> String {
        guard case .ident(let name) = cur.kind else { throw err("Expecting \(what), found '\(cur.describe)'", cur.pos) }
        if Parser.reserved.contains(name) || Parser.keywordFunctions.contains(name) {
            throw err("'\(name)' is a reserved keyword", cur.pos)
        }
        if name == "_" { throw err("'_' is not a valid name", cur.pos) }
        advance()
        return name
    }

    /// Keywords that are functions: they can be called, but cannot name a variable or a function.
    static let keywordFunctions: Set<String> = [
        "Fn", "call", "curry", "is_shared", "is_def_fn", "is_def_var", "type_of", "print", "debug", "eval",
    ]

    static let reserved: Set<String> = [
        "let", "const", "if", "else", "switch", "do", "while", "until", "loop", "for", "in", "break", "continue",
        "return", "throw", "try", "catch", "fn", "private", "import", "export", "as", "true", "false", "this",
        "global", "var", "static", "shared", "goto", "exit", "match", "case", "public", "protected", "new", "use",
        "with", "module", "package", "super", "thread", "spawn", "go", "sync", "async", "await", "yield", "default",
        "void", "null", "nil", "is",
    ]

    func enter(_ pos: Pos) throws(RhaiError) {
        depth += 1
        if (depthLimit > 0 && depth > depthLimit) || Interp.stackAddress() < stackLimit {
            throw err("Expression exceeds maximum complexity", pos)
        }
    }
}
