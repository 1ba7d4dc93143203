import Rhai
import Testing

/// Rhai Book — Keywords (language/keywords.md, ref/keywords.md, appendix/keywords.md): keywords, active
/// or reserved, cannot become the name of a variable, a parameter or a function.
@Suite struct BookKeywordsTests {
    static let active = [
        "true", "false", "let", "const", "if", "else", "switch", "do", "while", "until", "loop", "for", "in",
        "continue", "break", "return", "throw", "try", "catch", "import", "export", "as", "global", "private", "fn", "this",
    ]
    static let functions = ["Fn", "call", "curry", "is_shared", "is_def_fn", "is_def_var", "type_of", "print", "debug", "eval"]
    static let reserved = [
        "var", "static", "shared", "goto", "exit", "match", "case", "public", "protected", "new", "use", "with", "is",
        "module", "package", "super", "thread", "spawn", "go", "await", "async", "sync", "yield", "default", "void",
        "null", "nil",
    ]

    // ref/keywords.md, appendix/keywords.md — each keyword as a variable, a function and a parameter name
    static let cases: [BookCase] =
        (active + functions + reserved).map { .error("let \($0) = 1;", .parsing) }
        + (functions + reserved).map { .error("fn \($0)() { 1 }", .parsing) }
        + ["print", "this", "null"].map { .error("fn f(\($0)) { 1 }", .parsing) }
        + [
            .error("let f = |var| var;", .parsing),
            .error("for match in [1] {}", .parsing),
            .error("try { throw 1; } catch (new) { 1 }", .parsing),
            // keywords are still fine as property names and inside strings
            .value("let m = #{ \"type\": 1 }; m[\"type\"]", 1),
            .value("\"let if while\"", "let if while"),
            .value("let letter = 1; let iffy = 2; letter + iffy", 3),
        ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
