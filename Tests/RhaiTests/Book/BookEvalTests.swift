import Rhai
import Testing

/// Rhai Book — the `eval` function (language/eval.md, ref/eval.md). This engine denies `eval`, as the
/// Book recommends for untrusted scripts ("`eval` is evil"): every form of it fails with a clear error.
@Suite struct BookEvalTests {
    static let message = "'eval' is not supported: scripts cannot evaluate code at run time"

    static let cases: [BookCase] = [
        // language/eval.md
        .error("eval(\"1\")", .runtime, line: 1, column: 1),
        .error("let x = 10; fn foo(x) { x += 12; x } let script = \"let y = x; y += foo(y); x + y\"; let result = eval(script);", .runtime),
        .error("let script = \"x += 32\"; let x = 10; eval(script); x", .runtime),
        .error("eval(\"{ let z = y }\");", .runtime),
        .error("\"print(42)\".eval();", .runtime),
        .error("let f = Fn(\"eval\"); f.call(\"1\")", .runtime),
        .error("fn eval(x) { x }", .parsing),
        .value("try { eval(\"1\") } catch (e) { e }", .string(message)),
        .value("try { \"1\".eval() } catch (e) { e }", .string(message)),
        .value("is_def_fn(\"eval\", 1)", false),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
