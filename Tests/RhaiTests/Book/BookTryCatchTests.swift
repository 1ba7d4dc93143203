import Rhai
import Testing

/// Rhai Book — Throw Exception on Error (language/throw.md, ref/throw.md) and Catch Exceptions
/// (language/try-catch.md, ref/try-catch.md).
@Suite struct BookTryCatchTests {
    static let cases: [BookCase] = [
        // language/throw.md — throw: any value as the exception
        .error("let x = 42; if x > 0 { throw x; }", .runtime),
        .error("let x = 42;\n\nif x > 0 {\n    throw x;\n}", .runtime, line: 4, column: 5),
        .error("throw \"oops\";", .runtime, line: 1, column: 1),
        .error("fn f() { throw 1; }\nf()", .runtime, line: 1, column: 10),
        .error("throw;", .runtime),
        .value("try { throw; } catch (e) { e }", .unit),
        .value("try { throw 42; } catch (e) { e + 1 }", 43),
        .value("try { throw \"boom\"; } catch { 7 }", 7),
        .value("try { throw [1, 2]; } catch (e) { e.len() }", 2),
        .value("fn f() { throw #{code: 3}; } try { f() } catch (e) { e.code }", 3),
        // language/throw.md — Catch a Thrown Exception
        .prints("fn code_that_throws() { throw 42; } try { code_that_throws(); } catch (err) { print(err); }", ["42"]),
        .prints("try\n{\n    throw 42;\n}\ncatch (err)\n{\n    print(err);\n}", ["42"]),
        .prints("try { print(42/0); } catch { print(\"Ouch!\"); }", ["Ouch!"]),
        .error("try { print(42/0); } catch { print(\"You seem to be dividing by zero here...\"); throw \"die\"; }", .runtime),
        .value("try { try { 42 / 0 } catch { throw \"die\"; } } catch (e) { e }", "die"),
        .value("try { 1 } catch { 2 }", 1),
        .value("let x = try { 40 + 2 } catch { 0 }; x", 42),
        .value("let r = 0; for i in 0..3 { try { if i == 1 { throw i; } r += 1; } catch { r += 10; } } r", 12),
        .value("try { throw 1; } catch (e) { } let e = 5; e", 5),
        .error("try { throw 1; } catch (e) { } e", .variableNotFound),
        .error("try { 1 }", .parsing),
        .error("try { 1 } catch (1) { }", .parsing),
        // language/try-catch.md — Re-Throw Exception
        .error("try { 1 / 0 } catch { throw; }", .arithmetic, line: 1, column: 9),
        .value("try { try { throw \"inner\"; } catch { throw; } } catch (e) { e }", "inner"),
        .prints("try { try { throw 5; } catch { print(\"Oooh! You've done something real bad!\"); throw; } } catch (e) { print(e); }",
                ["Oooh! You've done something real bad!", "5"]),
        // language/try-catch.md — Catchable Exceptions: other errors are caught as maps describing them
        .value("try { let x = 1 / 0; 0 } catch (e) { e.message }", "Division by zero: 1 / 0"),
        .value("try { [1][5] } catch (e) { e.error }", "ErrorArrayBounds"),
        .value("try { 9223372036854775807 + 1 } catch (e) { e.error }", "ErrorArithmetic"),
        .value("try { no_such_variable } catch (e) { e.error }", "ErrorVariableNotFound"),
        .value("try { no_such_function() } catch (e) { e.error }", "ErrorFunctionNotFound"),
        .value("let c = 1; try { if c { } } catch (e) { e.error }", "ErrorMismatchDataType"),
        .value("try { \"abc\"[9] } catch (e) { e.error }", "ErrorStringBounds"),
        .value("let n = 5; try { n[\"a\"] } catch (e) { e.error }", "ErrorMismatchDataType"),
        .value("let b = true; try { b[0] } catch (e) { e.error }", "ErrorIndexingType"),
        .value("try { (1).foo } catch (e) { e.error }", "ErrorDotExpr"),
        .value("let n = 5; try { for x in n {} } catch (e) { e.error }", "ErrorFor"),
        .value("try { 1 in 5 } catch (e) { e.error }", "ErrorFunctionNotFound"),
        .value("fn f() { this } try { f() } catch (e) { e.error }", "ErrorUnboundThis"),
        .value("const a = [1]; try { a[0] = 2; } catch (e) { e.error }", "ErrorAssignmentToConstant"),
        .value("try { let x = 1 / 0; } catch (e) { [e.line, e.position] }", [1, 17]),
        .value("try { throw 1; } catch (e) { type_of(e) }", "i64"),
        // language/try-catch.md — Non-Catchable Exceptions: syntax errors and safety limits
        .error("try { let x = ; } catch { 1 }", .parsing),
        .error("fn f(x) { f(x + 1) } try { f(0) } catch { 1 }", .stackOverflow),
        // the catch variable shadows an outer variable only inside the catch block
        .value("let e = 1; try { throw 2; } catch (e) { e += 10; } e", 1),
        .value("let e = 1; try { throw 2; } catch (e) { return e; }", 2),
        .value("let n = 5; try { n / 0; } catch { n = 0; } n", 0),
        .error("try { 1 / 0; } catch { throw; }", .arithmetic),
        .error("throw", .runtime),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
