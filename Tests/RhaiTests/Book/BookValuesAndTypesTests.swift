import Rhai
import Testing

/// Rhai Book — Values and Types (language/values-and-types.md), `type_of()` (language/type-of.md) and
/// Dynamic Values (language/dynamic.md).
@Suite struct BookValuesAndTypesTests {
    static let cases: [BookCase] = [
        // language/values-and-types.md — type_of() of each standard type
        .value("type_of(42)", "i64"),
        .value("type_of(1)", "i64"),
        .value("type_of(2..7)", "range"),
        .value("type_of(0..=15)", "range="),
        .value("type_of(1..3)", "range"),
        .value("type_of(1..=3)", "range="),
        .value("type_of(123.4567)", "f64"),
        .value("type_of(1.0)", "f64"),
        .value("type_of(true)", "bool"),
        .value("type_of('x')", "char"),
        .value("type_of(\"hello\")", "string"),
        .value("type_of(\"\")", "string"),
        .value("type_of([1, 2, 3])", "array"),
        .value("type_of([])", "array"),
        .value("type_of(blob())", "blob"),
        .value("type_of(#{a: 1, b: true})", "map"),
        .value("type_of(#{})", "map"),
        .value("type_of(timestamp())", "timestamp"),
        .value("fn foo() {} type_of(Fn(\"foo\"))", "Fn"),
        .value("type_of(())", "()"),
        // language/values-and-types.md — to_string() of each standard type
        .value("42.to_string()", "42"),
        .value("(2..7).to_string()", "2..7"),
        .value("(0..=15).to_string()", "0..=15"),
        .value("123.4567.to_string()", "123.4567"),
        .value("true.to_string()", "true"),
        .value("'A'.to_string()", "A"),
        .value("\"hello\".to_string()", "hello"),
        .value("[1, 2, 3].to_string()", "[1, 2, 3]"),
        .value("blob(4, 1).to_string()", "[01010101]"),
        .value("#{a: 1, b: true}.to_string()", #"#{"a": 1, "b": true}"#),
        .value("timestamp().to_string()", "<timestamp>"),
        .value("fn foo() {} Fn(\"foo\").to_string()", "Fn(foo)"),
        .value("().to_string()", ""),
        .value("to_string(1.5)", "1.5"),
        // language/values-and-types.md — to_debug()
        .value("\"hello\".to_debug()", "\"hello\""),
        .value("'c'.to_debug()", "'c'"),
        .value("().to_debug()", "()"),
        .value("[1, \"a\", 'b', ()].to_debug()", #"[1, "a", 'b', ()]"#),
        // language/values-and-types.md — strings are immutable: modifications make a copy
        .value("let a = \"x\"; let b = a; b += \"y\"; a", "x"),
        .value("let a = [1, 2]; let b = a; b.push(3); a.len() + b.len()", 5),
        .value("()", .unit),
        // `()` is one token: a space or a line between the parentheses is an empty group
        .error("let u = ( ); u", .parsing),
        .error("(\n)", .parsing),
        .value("let u = (); u", .unit),
        .value("fn f( ) { 7 } f( )", 7),
        .value("() == ()", true),
        // language/type-of.md
        .value("type_of('c') == \"char\"", true),
        .value("type_of(42) == \"i64\"", true),
        .value("let x = 123; x.type_of()", "i64"),
        .value("let x = 123; x = 99.999; type_of(x)", "f64"),
        .value("let x = \"hello\"; if type_of(x) == \"string\" { 1 } else { 2 }", 1),
        .value("""
            let x = true;
            try {
                switch type_of(x) {
                    "string" => 1,
                    "char" => 2,
                    "i64" => 3,
                    "f64" => 4,
                    _ => throw `I cannot work with ${type_of(x)}!!!`
                }
            } catch (e) { e }
            """, "I cannot work with bool!!!"),
        // language/dynamic.md — type_of() for type-specific actions
        .value("""
            let mystery = [1];
            switch type_of(mystery) {
                "i64" => "integer",
                "f64" => "float",
                "string" => "string",
                "bool" => "boolean",
                "array" => "array",
                "map" => "object map",
                "Fn" => "function pointer",
                _ => `I don't know what this is: ${type_of(mystery)}`
            }
            """, "array"),
        .value("let f = |x| x; switch type_of(f) { \"Fn\" => true, _ => false }", true),
        .value("let m = #{}; `I don't know what this is: ${type_of(m.x)}`", "I don't know what this is: ()"),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
