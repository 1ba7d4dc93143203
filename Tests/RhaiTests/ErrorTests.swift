import Rhai
import Testing

/// Errors carry Rhai's name and the position of the failing construct.
@Suite struct ErrorTests {
    static let cases: [(String, RhaiError.Kind, Int, Int)] = [
        ("let x = ;", .parsing, 1, 9),
        ("let x = 1\nlet y = 2;", .parsing, 2, 1),
        ("1 +", .parsing, 1, 4),
        ("\"abc", .parsing, 1, 1),
        ("fn f() { fn g() {} }", .parsing, 1, 10),
        ("const x = 1; x = 2;", .parsing, 1, 16),
        ("let a = #{x: 1, x: 2};", .parsing, 1, 17),
        ("x + 1", .variableNotFound, 1, 1),
        ("let y = 1;\n  foo(y, \"a\")", .functionNotFound, 2, 3),
        ("9223372036854775807 + 1", .arithmetic, 1, 21),
        ("let x = 1 / 0;", .arithmetic, 1, 11),
        ("(-9223372036854775807 - 1) * -1", .arithmetic, 1, 28),
        ("2 ** 64", .arithmetic, 1, 3),
        ("let a = [1, 2];\na[2]", .arrayBounds, 2, 2),
        ("let a = [1]; a[5] = 1;", .arrayBounds, 1, 15),
        ("\"abc\"[10]", .stringBounds, 1, 6),
        ("let x = 5; x[\"a\"]", .indexingType, 1, 13),
        ("true[0]", .indexingType, 1, 5),
        ("if 1 { 2 }", .mismatchDataType, 1, 1),
        ("1 && true", .mismatchDataType, 1, 3),
        ("throw \"oops\";", .runtime, 1, 1),
        ("fn f() { throw 1; }\nf()", .runtime, 1, 10),
        ("eval(\"1\")", .runtime, 1, 1),
        ("import \"x\" as y;", .parsing, 1, 1),
        ("const a = [1, 2];\na[0] = 5;", .assignmentToConstant, 2, 6),
        ("break;", .parsing, 1, 1),
        ("for x in 42 {}", .forLoop, 1, 1),
        ("let x = 1; x.foo", .dotExpr, 1, 14),
        ("fn f() { continue; }", .parsing, 1, 10),
        ("try { 1 / 0 } catch { throw; }", .arithmetic, 1, 9),
    ]

    @Test(arguments: cases.indices)
    func reportsKindAndPosition(_ k: Int) {
        let (script, kind, line, column) = Self.cases[k]
        let error = scriptError(script)
        #expect(error?.kind == kind, "\(script): \(String(describing: error))")
        #expect(error?.line == line && error?.column == column, "\(script): \(String(describing: error))")
    }

    @Test func hostConstantsCannotBeAssigned() throws {
        let engine = Engine()
        let scope = Scope()
        scope.pushConstant("K", 1)
        do {
            _ = try engine.eval("K = 2;", scope: scope)
            Issue.record("assigning a constant should fail")
        } catch {
            #expect(error.kind == .assignmentToConstant)
        }
        #expect(scope.get("K") == 1)
    }

    @Test func errorNamesMatchRhai() {
        #expect(RhaiError.Kind.parsing.name == "ErrorParsing")
        #expect(RhaiError.Kind.tooManyOperations.name == "ErrorTooManyOperations")
        #expect(scriptError("foo(1, \"a\")")?.message == "Function not found: foo (i64, &str | ImmutableString | String)")
        #expect(scriptError("throw 42")?.value == 42)
        #expect(scriptError("let x = 1; y")?.message == "Variable not found: y")
    }
}
