import Rhai
import Testing

/// Rhai Book — Variables (language/variables.md), Variable Shadowing (language/shadow.md) and
/// Assignments (language/assignment.md).
@Suite struct BookVariablesTests {
    static let cases: [BookCase] = [
        // language/variables.md — Valid Names
        // Rhai 1.26 refuses names that start with `_` (the Book's `_c3po` is from an older version)
        .error("let _c3po = 1; let r2d2 = 2; _c3po + r2d2", .parsing, line: 1, column: 6),
        .value("let c3po = 1; let r2d2 = 2; c3po + r2d2", 3),
        .error("let 3abc = 1;", .parsing),
        .error("let _ = 123;", .parsing),
        .error("let _9 = 9;", .parsing),
        .error("let _42foo = 42;", .parsing),
        .error("let _1 = 1;", .parsing),
        .value("let x = 42; let X = 123; x == 42 && X == 123", true),
        .error("let x = 42; X", .variableNotFound),
        .error("let if = 1;", .parsing),
        .error("let while = 1;", .parsing),
        .error("let résumé = 1;", .parsing),
        // language/variables.md — Declare a Variable
        .value("let x; x", .unit),
        .value("let x = 3; x", 3),
        .error("let _x = 42; _x", .parsing),
        .value("let x_ = 42; x_", 42),
        .error("let _x_ = 42; _x_", .parsing),
        .error("let x = #{ _k: 1 };", .parsing),
        .value("let x = #{ \"_k\": 1 }; x[\"_k\"]", 1),
        .error("fn _f() { 1 } 2", .parsing),
        .error("let f = |_a| 1;", .parsing),
        .value("let x = 42; { let x = 999; x }", 999),
        .value("let x = 42; { let x = 999; } x", 42),
        .value("let x = 1; { let x = 5; } x", 1),
        .value("let x = 42; is_def_var(\"x\")", true),
        .value("is_def_var(\"_x\")", false),
        .value("is_def_var(\"y\")", false),
        .value("is_def_var(\"x\")", false),
        .value("let x = 1; is_def_var(\"x\")", true),
        .value("{ let y = 1; } is_def_var(\"y\")", false),
        .error("let x = 1; y", .variableNotFound),
        // language/shadow.md
        .prints("""
            let x = 42;
            let y = 123;
            print(x);
            let x = 88;
            print(x);
            let x = 0;
            print(x);
            {
                let x = 999;
                print(x);
            }
            print(x);
            print(y);
            """, ["42", "88", "0", "999", "0", "123"]),
        .value("let x = 1; let x = x + 1; x", 2),
        .value("let x = \"a\"; let x = x.len(); x", 1),
        // language/assignment.md
        .value("let foo = 42; foo = 123 * 456 - 789; foo", 55_299),
        .value("let x = [0, [0, 0, #{prop: 0}]]; x[1][2].prop = 7; x[1][2].prop", 7),
        .value("let x = 1; x = 2; x", 2),
        .value("let x = 1; x = \"now a string\"; x", "now a string"),
        .error("bar = 123 * 456 - 789;", .variableNotFound),
        .error("let x = 1; x = 2 = 3;", .parsing),
        .error("1 = 2;", .parsing),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
