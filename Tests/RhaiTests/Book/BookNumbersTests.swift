import Rhai
import Testing

/// Rhai Book — Numbers (language/numbers.md) and Literals Syntax (appendix/literals.md).
@Suite struct BookNumbersTests {
    static let cases: [BookCase] = [
        // language/numbers.md — Integers: decimal, binary, octal and hex
        .value("42", 42),
        .value("0", 0),
        .value("-123", -123),
        .value("0x1F", 31),
        .value("0o17", 15),
        .value("0b101", 5),
        // appendix/literals.md — the prefixes in upper case
        .value("0XFF", 255),
        .value("0O17", 15),
        .value("0B101", 5),
        .value("type_of(0xff)", "i64"),
        .value("-9223372036854775808", .int(.min)),
        .value("9223372036854775807", .int(.max)),
        // a decimal literal too large for an integer is a float (src/tokenizer.rs tries INT, then FLOAT)
        .value("9223372036854775808", 9223372036854775808.0),
        .value("type_of(99999999999999999999)", "f64"),
        .value("-9223372036854775809", -9223372036854775809.0),
        .value("-(-9223372036854775808)", 9223372036854775808.0),
        // a `-` where an operand is expected is read into the number after it: the literal is negative
        // before any method call, index or power applies to it
        .value("-5.abs()", 5),
        .value("-2.5.floor()", -3.0),
        .value("-1.to_string()", "-1"),
        .value("-5[0]", true),
        .value("let x = 2; -x.abs()", -2),
        .value("- 5.abs()", -5),
        .value("10 -3.abs()", 7),
        .value("[1, -2.abs()]", [1, 2]),
        .value("-2 ** 2", 4),
        // ...and Rhai cannot read a negative hex, octal or binary literal written that way
        .error("let x = -0xff;", .parsing),
        .error("-0b1", .parsing),
        .value("let x = - 0xff; x", -255),
        .value("let x = 0o17; -x", -15),
        // language/numbers.md — Number Literals: `_` separators
        .value("1_000_000", 1_000_000),
        .value("123_345", 123_345),
        .value("-42", -42),
        .value("0o07_76", 0o0776),
        .value("0xab_cd_ef", 0xabcdef),
        .value("0b0101_1001", 0b0101_1001),
        .value("123_456.78_9", 123_456.789),
        .value("-42.;", -42.0),
        .value("42. + 1", 43.0),
        .value("123_456_.789e-10", 123_456.789e-10),
        .value("1.5e3", 1500.0),
        .value("123.456e-10", 123.456e-10),
        .value("-123.456", -123.456),
        .value("42.0", 42.0),
        .value("type_of(42.)", "f64"),
        .value("let x = 1. ; x", 1.0),
        // a trailing `.` at the very end is no decimal point: a property name should follow it
        .error("1.", .parsing),
        .error("_123", .parsing),
        .error("123._456", .parsing),
        .error(".456", .parsing),
        .error("123.456e_10", .parsing),
        .error(".456e-10", .parsing),
        // language/numbers.md — no implicit conversions: INT and FLOAT are distinct types
        .value("type_of(42)", "i64"),
        .value("type_of(42.0)", "f64"),
        .value("type_of(1 + 1)", "i64"),
        .value("type_of(1 + 1.0)", "f64"),
        // language/values-and-types.md — FLOAT to_string()
        .value("2.0.to_string()", "2.0"),
        .value("0.0.to_string()", "0.0"),
        .value("123.456.to_string()", "123.456"),
        .value("1e14.to_string()", "1e14"),
        .value("1.5e-14.to_string()", "1.5e-14"),
        .value("0.1.to_string()", "0.1"),
        .value("(-3.25).to_string()", "-3.25"),
        // the natural form's bounds are f32 constants (src/types/float.rs): 1e13 as f32 is 9999999827968
        .value("1e13.to_string()", "1e13"),
        .value("9999999827968.0.to_string()", "9999999827968.0"),
        .value("12345678901234.5.to_string()", "1.23456789012345e13"),
        .value("0.00001.to_string()", "0.00001"),
        // either zero prints as 0.0; its debug form keeps the sign
        .prints("print(1.0); print(0.5); print(-0.0);", ["1.0", "0.5", "0.0"]),
        .value("let z = -0.0; `${z}`", "0.0"),
        .value("(-0.0).to_debug()", "-0.0"),
        // the debug form (and so an array's or a map's elements) is Rust's: exponents from 1e16 up, below 1e-4
        .value("1e15.to_debug()", "1000000000000000.0"),
        .value("1e16.to_debug()", "1e16"),
        .value("0.0001.to_debug()", "0.0001"),
        .value("0.00001.to_debug()", "1e-5"),
        .value("[1e14, 0.00001, -0.0].to_string()", "[100000000000000.0, 1e-5, -0.0]"),
        .value("#{x: 2.5e-7}.to_string()", "#{\"x\": 2.5e-7}"),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
