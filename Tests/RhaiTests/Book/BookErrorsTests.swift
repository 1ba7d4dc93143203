import Rhai
import Testing

/// Rhai Book — errors as Rhai names them, with the position of the failing construct (the error types
/// of language/try-catch.md's Catchable Exceptions, language/throw.md and the evaluation errors of the
/// other chapters).
@Suite struct BookErrorsTests {
    static let cases: [BookCase] = [
        // language/try-catch.md (Catchable Exceptions), language/throw.md
        .error("x + 1", .variableNotFound, line: 1, column: 1),
        // syntax errors are reported in source order: the first problem in the script
        .error("fn f() {}\nfn f() {}\nlet s = \"abc", .parsing, line: 2, column: 1),
        .error("let x = 1;\nlet s = \"abc\nfn f() {} fn f() {}", .parsing, line: 2, column: 9),
        .error("let x = (1 + ;\nlet s = \"abc", .parsing, line: 1, column: 14),
        .error("let x = 1; let s = \"abc", .parsing, line: 1, column: 20),
        .error("let _x = 1; let s = \"abc", .parsing, line: 1, column: 6),
        .error("let y = 1;\n  foo(y, \"a\")", .functionNotFound, line: 2, column: 3),
        .error("9223372036854775807 + 1", .arithmetic, line: 1, column: 21),
        .error("let x = 1 / 0;", .arithmetic, line: 1, column: 11),
        .error("(-9223372036854775807 - 1) * -1", .arithmetic, line: 1, column: 28),
        .error("2 ** 64", .arithmetic, line: 1, column: 3),
        .error("-(-9223372036854775807 - 1)", .arithmetic),
        .error("(-9223372036854775807 - 1) / -1", .arithmetic),
        .error("1 << 64", .arithmetic),
        .error("let x = 5; x[\"a\"]", .mismatchDataType, line: 1, column: 13),
        .error("true[0]", .indexingType, line: 1, column: 5),
        .error("let x = 5; x[99]", .bitFieldBounds),
        .error("let m = #{}; m.a.b = 1;", .propertyNotFound),
        .error("let x = 1; x.foo", .dotExpr, line: 1, column: 14),
        .error("let n = 42; for x in n {}", .forLoop, line: 1, column: 13),
        // Rhai's parser refuses a literal that can never be iterated
        .error("for x in 42 {}", .parsing, line: 1, column: 10),
        .error("throw \"oops\";", .runtime, line: 1, column: 1),
        .error("const a = [1, 2];\na[0] = 5;", .assignmentToConstant, line: 2, column: 6),
        .error("fn f() { this } f()", .unboundThis),
        .error("let f = |x| x; f.call()", .functionNotFound),
        .error("[1, 2].map(|a, b, c| a)", .functionNotFound),
        .value("[1, 2].filter(|x| 1)", []),  // a non-bool answer counts as false
        .error("\"a\" * \"b\"", .functionNotFound),
        .error("(1..2).foo", .dotExpr),
        .value("try { x } catch (e) { e.message }", "Variable not found: x"),
        .value("try { foo(1, \"a\") } catch (e) { e.message }", "Function not found: foo (i64, &str | ImmutableString | String)"),
        .value("try { [1][5] } catch (e) { e.message }", "Array index 5 out of bounds: only 1 elements"),
        .value("try { 1 / 0 } catch (e) { [e.error, e.line, e.position] }", ["ErrorArithmetic", 1, 9]),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }

    @Test func errorNamesMatchRhai() {
        #expect(RhaiError.Kind.parsing.name == "ErrorParsing")
        #expect(RhaiError.Kind.tooManyOperations.name == "ErrorTooManyOperations")
        #expect(RhaiError.Kind.unboundThis.name == "ErrorUnboundThis")
        #expect(scriptError("foo(1, \"a\")")?.message == "Function not found: foo (i64, &str | ImmutableString | String)")
        #expect(scriptError("throw 42")?.value == 42)
        #expect(scriptError("let x = 1; y")?.message == "Variable not found: y")
        #expect(scriptError("let x = 42; if x > 0 { throw x; }")?.description == "ErrorRuntime: 42 (line 1, position 24)")
    }
}
