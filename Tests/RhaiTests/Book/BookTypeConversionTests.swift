import Rhai
import Testing

/// Rhai Book — Value Conversions (language/convert.md): between integers and floating-point numbers,
/// characters and integers, and parsing strings into numbers.
@Suite struct BookTypeConversionTests {
    static let cases: [BookCase] = [
        // language/convert.md — Convert Between Integer and Floating-Point
        .value("let x = 42; let y = x * 100.0; y", 4200.0),
        .value("let x = 42; let y = x.to_float() * 100.0; y", 4200.0),
        .value("let x = 42; let y = x.to_float() * 100.0; let z = y.to_int() + x; z", 4242),
        .value("1.5.to_int()", 1),
        .value("1.9.to_int()", 1),
        .value("(-1.9).to_int()", -1),
        .value("42.to_int()", 42),
        .value("3.to_float()", 3.0),
        .value("to_float(3)", 3.0),
        .error("1e300.to_int()", .arithmetic),
        .error("(0.0 / 0.0).to_int()", .arithmetic),
        // language/convert.md — characters and their codes
        .prints("let c = 'X'; print(`c is '${c}' and its code is ${c.to_int()}`);", ["c is 'X' and its code is 88"]),
        .value("'A'.to_int()", 65),
        .value("65.to_char()", .char("A")),
        .value("0x2764.to_char()", .char("❤")),
        .error("(-1).to_char()", .arithmetic),
        .value("true.to_int()", 1),
        .value("false.to_int()", 0),
        // language/convert.md — Parse String into Number
        .value("let x = parse_float(\"123.4\"); x", 123.4),
        .value("let x = parse_float(\"123.4\"); type_of(x)", "f64"),
        .value("parse_float(\"1.5\")", 1.5),
        .value("parse_float(\"42\")", 42.0),
        .value("let dec = parse_int(\"42\"); dec", 42),
        .value("let dec = parse_int(\"42\"); type_of(dec)", "i64"),
        .value("let dec = parse_int(\"42\", 10); dec", 42),
        .value("let bin = parse_int(\"110\", 2); bin == 0b110", true),
        .value("let hex = parse_int(\"ab\", 16); hex == 0xab", true),
        .value("parse_int(\"ff\", 16)", 255),
        .value("parse_int(\"-12\")", -12),
        .value("parse_int(\"101\", 2)", 5),
        .value("parse_int(\"z\", 36)", 35),
        .error("parse_int(\"abc\")", .runtime),
        .error("parse_int(\"12\", 1)", .arithmetic),
        .error("parse_float(\"x\")", .runtime),
        .value("try { parse_int(\"abc\") } catch { -1 }", -1),
        // language/convert.md — to_string and friends
        .value("42.to_string()", "42"),
        .value("to_string(1.5)", "1.5"),
        .value("\"\" + 42", "42"),
        .value("42 + \"\"", "42"),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
