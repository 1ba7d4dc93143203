import Rhai
import Testing

/// Rhai Book — Constants (language/constants.md, ref/constants.md) and the Automatic Global Module
/// (language/global.md).
@Suite struct BookConstantsTests {
    static let cases: [BookCase] = [
        // language/constants.md
        .prints("const x = 42; print(x * 2);", ["84"]),
        .error("const x = 42; x = 123;", .parsing, line: 1, column: 17),
        .error("const x = 1; x = 2;", .parsing, line: 1, column: 16),
        .error("const x = 42; x += 1;", .parsing),
        .value("const x; x", .unit),
        .value("const X; X", .unit),
        .value("const x = 40 + 2; x", 42),
        .value("const X = 5; X * 2", 10),
        .value("const X = 40 + 2; type_of(X)", "i64"),
        .error("const a = [1, 2];\na[0] = 5;", .assignmentToConstant, line: 2, column: 6),
        .error("const m = #{a: 1}; m.a = 2;", .assignmentToConstant),
        .value("const a = [1, 2]; let b = a; b[0] = 5; b", [5, 2]),
        // language/constants.md — Caveat: constants can be modified via Rust (but not via script)
        .value("fn double() { this *= 2; } let y = 1; y.double(); y", 2),
        .error("fn double() { this *= 2; } const x = 42; x.double();", .assignmentToConstant),
        .value("fn double() { this *= 2; } const x = 42; try { x.double(); } catch {} x", 42),
        .value("fn get() { this + 1 } const x = 42; x.get()", 43),
        // language/global.md — Automatic Global Module
        .value("const CONSTANT = 42; fn foo(x) { x *= global::CONSTANT; x } foo(2)", 84),
        .value("const K = 3; fn f() { global::K * 2 } f()", 6),
        .error("{ const INNER = 0; } fn foo(x) { x * global::INNER } foo(1)", .variableNotFound),
        .value("{ const INNER = 1; } fn f() { global::INNER } try { f() } catch { 0 }", 0),
        .value("let v = 1; fn f() { global::v } try { f() } catch { 0 }", 0),
        .error("const X = 1; fn f() { X } f()", .variableNotFound),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }

    /// language/constants.md — Manually Add Constant into Custom Scope: the script cannot assign it.
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
}
