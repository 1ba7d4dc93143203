import Rhai
import Testing

/// Rhai Book — Modules (language/modules/import.md, language/modules/export.md). This engine loads no
/// modules (scripts from peers get no file system): `import` is a clear parse error; `export` and
/// `private` are accepted and change nothing in a single script.
@Suite struct BookModulesTests {
    static let cases: [BookCase] = [
        // language/modules/import.md, language/modules/export.md
        .error("import \"x\" as y;", .parsing, line: 1, column: 1),
        .error("import \"hello\" as h;\nh::greet();", .parsing),
        .error("let x = 1;\nimport \"my_module\" as m;", .parsing, line: 2, column: 1),
        .value("let x = 1; x = 2; export x as y; x", 2),
        .value("let x = 42; export x; x", 42),
        .value("export const x = 42; x", 42),
        .value("export let y = 1; y + 1", 2),
        .value("private fn f() { 1 } f()", 1),
        .value("fn a() {} private fn b() {} is_def_fn(\"b\", 0)", true),
        .error("h::greet()", .parsing),
        .error("let p = Fn(\"f::do_work\");", .functionNotFound),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
