/// Turns source text into tokens. Errors are `ErrorParsing` with the position of the offending character.
struct Lexer {
    private let src: [Unicode.Scalar]
    private var i = 0
    private var line = 1
    private var col = 1
    /// Interpolations (`${…}` inside a template) open around the current token; each recurses.
    private var nesting = 0
    /// Whether a `-` here would be unary (Rhai's `is_next_unary` of the previous token): a `-` followed
    /// by a digit is then part of the number, so `-5.abs()` is 5 and `-9223372036854775808` an integer.
    private var unaryNext = true
    private let maxNesting: Int
    private let stackLimit: UInt

    init(_ source: String, maxNesting: Int = 64, stackLimit: UInt = 0) {
        src = Array(source.unicodeScalars)
        self.maxNesting = maxNesting
        self.stackLimit = stackLimit
        skipShebang()
    }

    private static let puncts3: Set<String> = ["..=", "<<=", ">>=", "**=", "!in"]
    private static let puncts2: Set<String> = [
        "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "**",
        "..", "::", "=>", "??", "?.", "?[", "#{",
    ]
    private static let puncts1: Set<Unicode.Scalar> = [
        "+", "-", "*", "/", "%", "=", "<", ">", "!", "&", "|", "^", "(", ")", "[", "]", "{", "}", ",", ";", ":",
        ".", "?", "#", "@", "$", "~",
    ]

    /// Rhai's reserved symbols that this lexer does not read as one token.
    private static let reservedSymbols: Set<String> = [
        "===", "!==", "->", "<-", ":=", ":;", "::<", "(*", "*)", "#!", "++", "--", "...", "<|", "|>", "!.",
    ]

    /// Is `s` an operator, punctuation or reserved symbol of the language (so not a function name)?
    static func isSymbol(_ s: String) -> Bool {
        if puncts3.contains(s) || puncts2.contains(s) || reservedSymbols.contains(s) { return true }
        let scalars = s.unicodeScalars
        return scalars.count == 1 && puncts1.contains(scalars.first!)
    }

    /// Names are ASCII (Rhai's default, without `unicode-xid-ident`): letters, digits and `_`.
    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    static func isNameContinue(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || (c >= "0" && c <= "9")
    }

    /// A valid variable or function name: the first character that is not `_` is a letter
    /// (so `_`, `_1` and `_42foo` are not names).
    static func isValidName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first(where: { $0 != "_" }), first != "_" else { return false }
        return isNameStart(first) && s.unicodeScalars.allSatisfy(isNameContinue)
    }

    private func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < src.count ? src[i + k] : nil }

    private mutating func advance() -> Unicode.Scalar {
        let c = src[i]
        i += 1
        if c == "\n" { line += 1; col = 1 } else { col += 1 }
        return c
    }

    private func error(_ msg: String) -> RhaiError { RhaiError(.parsing, msg, line: line, column: col) }

    private mutating func skipShebang() {
        if peek() == "#" && peek(1) == "!" { while let c = peek(), c != "\n" { _ = advance() } }
    }

    private mutating func skipTrivia() throws(RhaiError) {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || c == "\r" || c.properties.isWhitespace {
                _ = advance()
            } else if c == "/" && peek(1) == "/" {
                while let d = peek(), d != "\n" { _ = advance() }
            } else if c == "/" && peek(1) == "*" {
                let (l, cc) = (line, col)
                _ = advance(); _ = advance()
                var depth = 1
                while depth > 0 {
                    guard let d = peek() else {
                        throw RhaiError(.parsing, "Unterminated comment", line: l, column: cc)
                    }
                    if d == "/" && peek(1) == "*" { _ = advance(); _ = advance(); depth += 1 }
                    else if d == "*" && peek(1) == "/" { _ = advance(); _ = advance(); depth -= 1 }
                    else { _ = advance() }
                }
            } else {
                return
            }
        }
    }

    mutating func next() throws(RhaiError) -> Token {
        let t = try scan()
        unaryNext = Lexer.allowsUnary(after: t)
        return t
    }

    /// The tokens after which Rhai's tokenizer reads `-` as unary.
    private static let unaryAfterPuncts: Set<String> = [
        ";", ":", ",", "??", "..", "..=", "{", "(", "[", "+", "+=", "-", "-=", "*", "*=", "/", "/=", "%", "%=",
        "**", "**=", "<<", "<<=", ">>", ">>=", "=", "==", "!=", "<", ">", "!", "<=", ">=", "|", "&", "&&", "&=",
        "||", "|=", "^", "^=", "?[",
    ]

    private static func allowsUnary(after t: Token) -> Bool {
        switch t.kind {
        case .punct(let p): return unaryAfterPuncts.contains(p)
        case .ident(let s): return s == "if" || s == "while" || s == "until" || s == "in" || s == "return" || s == "throw"
        default: return false
        }
    }

    private mutating func scan() throws(RhaiError) -> Token {
        try skipTrivia()
        let pos = Pos(line, col)
        guard let c = peek() else { return Token(kind: .eof, pos: pos) }
        if Lexer.isNameStart(c) {
            var s = ""
            while let d = peek(), Lexer.isNameContinue(d) { s.unicodeScalars.append(advance()) }
            if s != "_", s.unicodeScalars.first == "_" {
                // Rhai 1.26 refuses names that start with `_` (and reports one column past the start)
                throw RhaiError(.parsing, "Variable name is not proper: '\(s)'", line: pos.lineNo, column: pos.column + 1)
            }
            if s != "_", !Lexer.isValidName(s) {
                throw RhaiError(.parsing, "Malformed identifier: '\(s)' (the first character after any '_' must be a letter)", at: pos)
            }
            return Token(kind: .ident(s), pos: pos)
        }
        if c.value >= 48 && c.value <= 57 { return try number(pos) }
        if c == "-", unaryNext, let d = peek(1), d.value >= 48 && d.value <= 57 {
            _ = advance()
            return try number(pos, negative: true)
        }
        if c == "\"" { return Token(kind: .string(try quoted(pos)), pos: pos) }
        if c == "`" { return Token(kind: .interpolated(try backtick()), pos: pos) }
        if c == "'" { return try charLiteral(pos) }
        if c == "#", let raw = try rawString(pos) { return Token(kind: .string(raw), pos: pos) }
        // punctuation, longest match first
        if i + 2 < src.count {
            let s = String(String.UnicodeScalarView([src[i], src[i + 1], src[i + 2]]))
            if Lexer.puncts3.contains(s) && s != "!in" {
                _ = advance(); _ = advance(); _ = advance()
                return Token(kind: .punct(s), pos: pos)
            }
        }
        if i + 1 < src.count {
            let s = String(String.UnicodeScalarView([src[i], src[i + 1]]))
            if Lexer.puncts2.contains(s) {
                _ = advance(); _ = advance()
                return Token(kind: .punct(s), pos: pos)
            }
            if s == "++" || s == "--" { throw error("'\(s)' is not a valid operator; use '\(s.first!)= 1'") }
        }
        if Lexer.puncts1.contains(c) {
            _ = advance()
            return Token(kind: .punct(String(Character(c))), pos: pos)
        }
        throw error("Unexpected character '\(c)'")
    }

    /// A number literal; `negative` when a unary `-` was read into it. Too large for an integer, it is
    /// a float; a negative hex, octal or binary literal is malformed (as in Rhai, which cannot read one).
    private mutating func number(_ pos: Pos, negative: Bool = false) throws(RhaiError) -> Token {
        var text = negative ? "-" : ""
        if peek() == "0", let p = peek(1), "xXoObB".unicodeScalars.contains(p) {
            if negative { throw RhaiError(.parsing, "Invalid number literal", at: pos) }
            _ = advance(); _ = advance()
            let radix = p == "x" || p == "X" ? 16 : p == "o" || p == "O" ? 8 : 2
            while let d = peek(), Lexer.isNameContinue(d) {
                let ch = advance()
                if ch != "_" { text.unicodeScalars.append(ch) }
            }
            guard let v = UInt64(text, radix: radix) else { throw RhaiError(.parsing, "Invalid number literal", at: pos) }
            return Token(kind: .int(Int64(bitPattern: v)), pos: pos)
        }
        var isFloat = false
        func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { $0.value >= 48 && $0.value <= 57 } ?? false }
        while let d = peek(), isDigit(d) || d == "_" { let ch = advance(); if ch != "_" { text.unicodeScalars.append(ch) } }
        if peek() == ".", isDigit(peek(1)) {
            isFloat = true
            text.unicodeScalars.append(advance())
            while let d = peek(), isDigit(d) || d == "_" { let ch = advance(); if ch != "_" { text.unicodeScalars.append(ch) } }
        } else if peek() == ".", peek(1).map({ $0 != "." && $0 != "_" && !Lexer.isNameStart($0) }) ?? false {
            // `42.` ends with a decimal point: a FLOAT (unless a range `..` or a property or method follows)
            _ = advance()
            return Token(kind: .float(Double(text) ?? 0), pos: pos)
        }
        if peek() == "e" || peek() == "E" {
            if isDigit(peek(1)) || ((peek(1) == "-" || peek(1) == "+") && isDigit(peek(2))) {
                isFloat = true
                text.unicodeScalars.append(advance())
                text.unicodeScalars.append(advance())
                while let d = peek(), isDigit(d) { text.unicodeScalars.append(advance()) }
            }
        }
        if isFloat {
            guard let v = Double(text) else { throw RhaiError(.parsing, "Invalid number literal: \(text)", at: pos) }
            return Token(kind: .float(v), pos: pos)
        }
        if let v = Int64(text) { return Token(kind: .int(v), pos: pos) }
        guard let v = Double(text) else { throw RhaiError(.parsing, "Invalid number literal: \(text)", at: pos) }
        return Token(kind: .float(v), pos: pos)
    }

    /// The character after a `\` in a literal closed by `quote`: only that quote escapes, so `\'` is
    /// malformed in a string and `\"` in a character, as in Rhai.
    private mutating func escape(_ quote: Unicode.Scalar) throws(RhaiError) -> Unicode.Scalar {
        guard peek() != nil else { throw error("Unterminated string literal") }
        let c = advance()
        switch c {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "\\": return "\\"
        case quote: return quote
        case "x", "u", "U":
            let n = c == "x" ? 2 : c == "u" ? 4 : 8
            var hex = ""
            for _ in 0..<n {
                guard let d = peek(), d.properties.isASCIIHexDigit else { throw error("Invalid escape sequence") }
                hex.unicodeScalars.append(advance())
            }
            guard let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else { throw error("Invalid escape sequence") }
            return s
        default:
            throw error("Invalid escape sequence '\\\(c)'")
        }
    }

    private mutating func quoted(_ pos: Pos) throws(RhaiError) -> String {
        _ = advance()
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw RhaiError(.parsing, "Unterminated string literal", at: pos) }
            if c == "\"" {
                _ = advance()
                if peek() == "\"" { _ = advance(); out.append("\""); continue }  // `""` stands for `"`
                break
            }
            if c == "\n" { throw RhaiError(.parsing, "Unterminated string literal", at: pos) }
            if c == "\\" {
                _ = advance()
                if peek() == "\n" || (peek() == "\r" && peek(1) == "\n") {
                    if peek() == "\r" { _ = advance() }
                    _ = advance()
                    // line continuation: skip indentation up to the column of the opening quote
                    while let d = peek(), d == " " || d == "\t", col <= pos.column { _ = advance() }
                    continue
                }
                out.append(try escape("\""))
                continue
            }
            out.append(advance())
        }
        return String(out)
    }

    /// A raw string `#"…"#` (any number of `#`, matched at the end): no escapes, newlines kept.
    /// Returns nil (consuming nothing) when the `#`s are not followed by `"`.
    private mutating func rawString(_ pos: Pos) throws(RhaiError) -> String? {
        var hashes = 0
        while peek(hashes) == "#" { hashes += 1 }
        guard peek(hashes) == "\"" else {
            if hashes > 1 { throw error("Unexpected '#'") }
            return nil
        }
        for _ in 0...hashes { _ = advance() }
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw RhaiError(.parsing, "Unterminated string literal", at: pos) }
            if c == "\"" {
                var n = 0
                while n < hashes, peek(1 + n) == "#" { n += 1 }
                if n == hashes {
                    for _ in 0...hashes { _ = advance() }
                    return String(out)
                }
            }
            out.append(advance())
        }
    }

    private mutating func charLiteral(_ pos: Pos) throws(RhaiError) -> Token {
        _ = advance()
        guard let c = peek(), c != "'" else { throw RhaiError(.parsing, "Empty character literal", at: pos) }
        var v: Unicode.Scalar
        if c == "\\" { _ = advance(); v = try escape("'") } else { v = advance() }
        guard peek() == "'" else { throw RhaiError(.parsing, "Unterminated character literal", at: pos) }
        _ = advance()
        return Token(kind: .char(v), pos: pos)
    }

    private mutating func backtick() throws(RhaiError) -> [Token.InterpolationPart] {
        let start = Pos(line, col)
        _ = advance()
        if peek() == "\r" && peek(1) == "\n" { _ = advance(); _ = advance() } else if peek() == "\n" { _ = advance() }
        var parts: [Token.InterpolationPart] = []
        var text = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw RhaiError(.parsing, "Unterminated string literal", at: start) }
            if c == "`" {
                _ = advance()
                if peek() == "`" { _ = advance(); text.append("`"); continue }
                break
            }
            if c == "\\" && peek(1) == "$" && peek(2) == "{" {
                _ = advance(); _ = advance(); _ = advance()
                text.append("$"); text.append("{")
                continue
            }
            if c == "$" && peek(1) == "{" {
                if (maxNesting > 0 && nesting >= maxNesting) || Interp.stackAddress() < stackLimit {
                    throw error("String interpolation is nested too deeply")
                }
                nesting += 1
                defer { nesting -= 1 }
                _ = advance(); _ = advance()
                if !text.isEmpty { parts.append(.text(String(text))); text = String.UnicodeScalarView() }
                var toks: [Token] = []
                var depth = 0
                unaryNext = true
                while true {
                    let t = try next()
                    if case .eof = t.kind { throw RhaiError(.parsing, "Unterminated string interpolation", at: start) }
                    if t.isPunct("{") || t.isPunct("#{") { depth += 1 }
                    if t.isPunct("}") {
                        if depth == 0 { toks.append(Token(kind: .eof, pos: t.pos)); break }
                        depth -= 1
                    }
                    toks.append(t)
                }
                parts.append(.code(toks))
                continue
            }
            text.append(advance())
        }
        if !text.isEmpty || parts.isEmpty { parts.append(.text(String(text))) }
        return parts
    }
}
