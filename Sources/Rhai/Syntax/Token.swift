/// A lexical token with its position.
struct Token {
    enum Kind {
        case int(Int64)
        case float(Double)
        case string(String)
        case char(Unicode.Scalar)
        case interpolated([InterpolationPart])
        case ident(String)
        case punct(String)
        case eof
    }

    enum InterpolationPart {
        case text(String)
        case code([Token])
    }

    var kind: Kind
    var pos: Pos

    func isPunct(_ p: String) -> Bool {
        if case .punct(let q) = kind { return q == p }
        return false
    }

    func isIdent(_ name: String) -> Bool {
        if case .ident(let q) = kind { return q == name }
        return false
    }

    var describe: String {
        switch kind {
        case .int(let v): String(v)
        case .float(let v): String(v)
        case .string(let s): "\"\(s)\""
        case .char(let c): "'\(c)'"
        case .interpolated: "string"
        case .ident(let s): s
        case .punct(let s): s
        case .eof: "end of script"
        }
    }
}
