import Rhai
import Testing

/// Rhai Book — Numeric Functions (language/num-fn.md, ref/num-fn.md): integer, signed, floating-point,
/// rounding and formatting functions and the mathematical constants.
@Suite struct BookMathTests {
    static let cases: [BookCase] = [
        // ref/num-fn.md — Integer Functions
        .value("5.is_odd()", true),
        .value("5.is_odd", true),
        .value("4.is_even()", true),
        .value("4.is_even", true),
        .value("let x = 7; x.is_even", false),
        .value("min(3, 1)", 1),
        .value("max(3, 1)", 3),
        .value("min(-1, -1)", -1),
        .value("max(1, 2.5)", 2.5),
        .value("min(1.5, 2)", 1.5),
        .value("type_of(max(1, 2))", "i64"),
        .value("3.to_float()", 3.0),
        .value("(3).to_float()", 3.0),
        .value("type_of(3.to_float())", "f64"),
        // ref/num-fn.md — Signed Numeric Functions
        .value("abs(-5)", 5),
        .value("(-5).abs()", 5),
        .value("abs(-2.5)", 2.5),
        .value("sign(-3)", -1),
        .value("sign(0)", 0),
        .value("sign(7)", 1),
        .value("sign(-0.5)", -1),
        .value("sign(2.5)", 1),
        .value("0.is_zero()", true),
        .value("0.is_zero", true),
        .value("0.0.is_zero", true),
        .value("1.5.is_zero()", false),
        .error("abs(-9223372036854775807 - 1)", .arithmetic),
        // ref/num-fn.md — Floating-Point Functions — trigonometry
        .value("sin(0.0)", 0.0),
        .value("cos(0.0)", 1.0),
        .value("tan(0.0)", 0.0),
        .value("sinh(0.0)", 0.0),
        .value("cosh(0.0)", 1.0),
        .value("tanh(0.0)", 0.0),
        .value("hypot(3.0, 4.0)", 5.0),
        .value("asin(0.0)", 0.0),
        .value("acos(1.0)", 0.0),
        .value("atan(0.0)", 0.0),
        .value("atan(1.0, 1.0) == PI() / 4.0", true),
        .value("asinh(0.0)", 0.0),
        .value("acosh(1.0)", 0.0),
        .value("atanh(0.0)", 0.0),
        // ref/num-fn.md — square root, exponential, logarithms
        .value("sqrt(16.0)", 4.0),
        .value("sqrt(16)", 4.0),
        .value("16.0.sqrt()", 4.0),
        .value("exp(0.0)", 1.0),
        .value("ln(1.0)", 0.0),
        .value("ln(E())", 1.0),
        .value("log(100.0)", 2.0),
        .value("log(8.0, 2.0)", 3.0),
        // ref/num-fn.md — rounding, as methods and as properties
        .value("floor(2.7)", 2.0),
        .value("ceiling(2.1)", 3.0),
        .value("round(2.5)", 3.0),
        .value("round(-2.5)", -3.0),
        .value("int(2.7)", 2.0),
        .value("int(-2.7)", -2.0),
        .value("fraction(2.5)", 0.5),
        .value("2.5.floor()", 2.0),
        .value("2.5.floor", 2.0),
        .value("2.1.ceiling", 3.0),
        .value("2.4.round", 2.0),
        .value("2.75.int", 2.0),
        .value("2.75.fraction", 0.75),
        .value("3.14.round(1)", 3.1),
        // ref/num-fn.md — conversion
        .value("to_degrees(PI())", 180.0),
        .value("to_radians(180.0) == PI()", true),
        .value("1.9.to_int()", 1),
        // ref/num-fn.md — testing
        .value("(0.0 / 0.0).is_nan()", true),
        .value("(0.0 / 0.0).is_nan", true),
        .value("(1.0 / 0.0).is_infinite()", true),
        .value("(1.0 / 0.0).is_infinite", true),
        .value("1.0.is_finite", true),
        .value("(1.0 / 0.0).is_finite()", false),
        // ref/num-fn.md — Floating-point Constants
        .value("PI() > 3.14 && PI() < 3.15", true),
        .value("E() > 2.71 && E() < 2.72", true),
        .value("type_of(PI())", "f64"),
        // ref/num-fn.md — Formatting Functions
        .value("255.to_hex()", "ff"),
        .value("8.to_octal()", "10"),
        .value("5.to_binary()", "101"),
        .value("to_hex(0xabcd)", "abcd"),
        .value("(-1).to_hex()", "ffffffffffffffff"),
        // ref/num-fn.md — Parsing Functions (see also Type Conversions)
        .value("parse_int(\"42\")", 42),
        .value("parse_float(\"1.5\")", 1.5),
        // ref/num-op.md — arithmetic errors
        .error("9223372036854775807 + 1", .arithmetic),
        .error("1 / 0", .arithmetic),
        .error("1 % 0", .arithmetic),
        .error("2 ** -1", .arithmetic),
        .value("1.0 / 0.0 > 1e308", true),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
