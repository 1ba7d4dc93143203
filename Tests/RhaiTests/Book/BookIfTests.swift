import Rhai
import Testing

/// Rhai Book — `if` statements (language/if.md, ref/if.md) and `if` expressions
/// (language/if-expression.md).
@Suite struct BookIfTests {
    static let cases: [BookCase] = [
        // language/if.md — If Statement
        .prints("""
            let x = 3;
            if x == 1 {
                print("It's true!");
            } else if x == 2 {
                print("It's true again!");
            } else if x == 3 {
                print("Yet again true.");
            } else {
                print("It's finally false!");
            }
            """, ["Yet again true."]),
        .value("if 1 > 2 { 1 } else if 2 > 1 { 2 } else { 3 }", 2),
        .value("let r = 0; if true { r = 1; } r", 1),
        .value("let r = 0; if false { r = 1; } else { r = 2; } r", 2),
        // language/if.md — braces are mandatory; the condition needs no parentheses
        .error("if (true) print(42);", .parsing),
        .error("if true 1 else 2", .parsing),
        .value("if (1 < 2) { \"ok\" }", "ok"),
        .error("let c = 1; if c { 2 }", .mismatchDataType),
        .error("let c = \"x\"; if c { 2 }", .mismatchDataType),
        // Rhai's parser refuses a condition that is a literal of another type, or a statement block
        .error("if 1 { 2 }", .parsing, line: 1, column: 4),
        .error("if \"x\" { 2 }", .parsing),
        .error("if false { 1 } else if [] { 2 }", .parsing),
        .error("if { true } { 2 }", .parsing),
        // language/if-expression.md — If Expression
        .value("let decision = true; let x = 1 + if decision { 42 } else { 123 } / 2; x", 22),
        .value("let decision = false; let x = 1 + if decision { 42 } else { 123 } / 2; x", 62),
        .value("let decision = false; let x = if decision { 42 }; x", .unit),
        .value("if false { 1 }", .unit),
        .value("let x = if true { 10 } else { 20 } * 2; x", 20),
        .value("let x = if true { let y = 2; y * 3 } else { 0 }; x", 6),
        .value("fn sign(x) { if x < 0 { -1 } else if x == 0 { 0 } else { 1 } } [sign(-5), sign(0), sign(9)]", [-1, 0, 1]),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
