extension Parser {
    /// Rhai's parse-time check of a literal indexed by a literal of the wrong kind: an object map literal
    /// takes a string index; an array, string or integer literal takes an integer index. `&&`, `||` and
    /// bool literals count as booleans; any other computed index is checked when it runs.
    static func malformedIndex(_ target: Expr, _ index: Expr) -> String? {
        let kind: String
        switch index {
        case .constant(.int): kind = "a number"
        case .constant(.string), .interpolated: kind = "a string"
        case .constant(.float): kind = "a float"
        case .constant(.char): kind = "a character"
        case .constant(.unit): kind = "()"
        case .constant(.bool), .and, .or: kind = "a boolean"
        default: return nil
        }
        switch target {
        case .map:
            return kind == "a string" ? nil : "Object map expects string index, not \(kind)"
        case .array, .interpolated, .constant(.int), .constant(.string):
            if kind == "a number" { return nil }
            let expects = kind == "a string" ? "numeric" : "integer"
            return "Array, string or bit-field expects \(expects) index, not \(kind)"
        default:
            return nil
        }
    }
}
