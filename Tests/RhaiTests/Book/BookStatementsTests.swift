import Rhai
import Testing

/// Rhai Book — Statements (language/statements.md, ref/statements.md) and Statement Expressions
/// (language/statement-expression.md).
@Suite struct BookStatementsTests {
    static let cases: [BookCase] = [
        // language/statements.md — Terminated by `;`
        .value("let a = 42; a", 42),
        .value("fn foo(x) { x } let a = foo(42); a", 42),
        .value("let foo = 1; foo < 42;", true),
        .value("let a = { 40 + 2 }; a", 42),
        .value("let a = { 40 + 2; }; a", 42),
        .error("let a = { 40 + 2 } let b = 1;", .parsing),
        .value("let foo = true; let a = 0; if foo { a = 42 } a", 42),
        .value("let a = 0; while a < 3 { a += 1 } for x in [1] { a += x } loop { break } a", 4),
        .value("4 * 10 + 2", 42),
        .value("let x = 1;;; x", 1),
        .error("let x = 1\nlet y = 2;", .parsing, line: 2, column: 1),
        .error("let x = ;", .parsing, line: 1, column: 9),
        .error("1 +", .parsing, line: 1, column: 4),
        // language/statement-expression.md — Statement Expression: the last statement of a block is its value, with or without `;`
        .value("{ 1; 2; 3; }", 3),
        .value("{ 1; 2; 3 }", 3),
        .value("let x = { let y = 2; y * 3 }; x", 6),
        .value("let x = { let y = 2; }; x", .unit),
        .value("let y = 1; let x = { y = 2; }; x", .unit),
        .value("{}", .unit),
        .value("""
            fn calc_something() { 20 }
            let baz = 1;
            let x = {
                let foo = calc_something();
                let bar = foo + baz;
                bar * 2
            };
            x
            """, 42),
        .value("fn foo(x) { x } let x = foo(1) + { let v = 20; v + v } + 1; x", 42),
        .prints("fn do_work(a, b, c) { a + b + c } let x = 1; let y = 2; let r = do_work(x, y, { let z = x + y; print(z); z }); print(r);",
                ["3", "6"]),
        .value("let r = [{ 1 }, { let a = 2; a }]; r", [1, 2]),
        // `return` at global level ends the script with its value (language/return.md)
        .value("return 123 + 456; 999", 579),
        .value("return; 1", .unit),
        .value("let x = 1; if x > 0 { return \"early\"; } \"late\"", "early"),
        .value("fn add(x, y) { x + y } add(2, 3)", 5),
        .value("fn f() { return 7; 8 } f()", 7),
        // appendix/operators.md — the shebang line is ignored
        .value("#!/usr/bin/env rhai\n5", 5),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
