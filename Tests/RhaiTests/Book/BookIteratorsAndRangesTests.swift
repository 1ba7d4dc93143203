import Rhai
import Testing

/// Rhai Book — Ranges (language/ranges.md, ref/ranges.md) and Standard Iterable Types
/// (language/iter.md): ranges, `range()` with steps, string characters and bit-fields.
@Suite struct BookIteratorsAndRangesTests {
    static let cases: [BookCase] = [
        // ref/ranges.md — Syntax: exclusive and inclusive ranges
        .value("type_of(1..3)", "range"),
        .value("type_of(1..=3)", "range="),
        .value("let s = 0; for i in 0..5 { s += i; } s", 10),
        .value("let s = 0; for i in 0..=5 { s += i; } s", 15),
        .value("let n = 0; for i in 5..5 { n += 1; } n", 0),
        .value("let n = 0; for i in 5..=5 { n += 1; } n", 1),
        .value("let n = 0; for i in 5..0 { n += 1; } n", 0),
        .value("let a = []; for i in -2..2 { a.push(i); } a", [-2, -1, 0, 1]),
        .value("let r = 1..5; r == 1..5", true),
        .value("1..5 == 1..=4", false),
        .error("1.0..2.0", .functionNotFound),
        // ref/ranges.md — Usage scenarios
        .value("let n = 42; if n in 0..100 { 1 } else { 0 }", 1),
        .value("let n = 42; switch n { 0..100 => \"low\", _ => \"high\" }", "low"),
        .value("let n = 0b111100; n[2..6]", 0b1111),
        .value("[1, 2, 3, 4, 5, 6, 7, 8, 9].extract(2..8)", [3, 4, 5, 6, 7, 8]),
        .value("\"hello, world!\".sub_string(4..=8)", "o, wo"),
        // ref/ranges.md — Built-in Functions
        .value("(1..5).start", 1),
        .value("(1..=5).end", 5),
        .value("(1..5).end()", 5),
        .value("(1..5).start()", 1),
        .value("(1..5).contains(5)", false),
        .value("(1..=5).contains(5)", true),
        .value("5 in 1..=5", true),
        .value("(1..5).is_inclusive", false),
        .value("(1..=5).is_inclusive", true),
        .value("(1..5).is_exclusive", true),
        .value("(1..=5).is_exclusive()", false),
        .value("(1..5).is_empty", false),
        .value("(5..5).is_empty()", true),
        .value("(5..=5).is_empty", false),
        .value("(1..5).len()", 4),
        .value("(1..=5).len()", 5),
        .value("range(0, 3).len()", 3),
        .value("let x = [1, 2, 3, 4, 5]; x.extract(0..3)", [1, 2, 3]),
        .value("let x = [1, 2, 3, 4, 5]; x.extract(2)", [3, 4, 5]),
        .value("let x = [1, 2, 3, 4, 5]; x.extract(0, 2)", [1, 2]),
        // ref/ranges.md — open-ended and full ranges: a missing start is 0, a missing end the largest integer
        .value("let x = [1, 2]; x.extract(1..)", [2]),
        .value("let x = [1, 2, 3]; x.extract(..2)", [1, 2]),
        .value("let x = [1, 2, 3]; x.extract(..=1)", [1, 2]),
        .value("let x = [1, 2, 3]; x.extract(..)", [1, 2, 3]),
        .value("(..5).start", 0),
        .value("(3..).end", Dynamic.int(.max)),
        .value("type_of(..=2)", "range="),
        // an array is not indexed by a range (Rhai slices strings and bit-fields only)
        .error("let x = [1, 2, 3, 4]; x[1..]", .mismatchDataType),
        .value("let s = \"hello\"; s.crop(2..); s", "llo"),
        .value("let s = \"hello\"; s.crop(..2); s", "he"),
        .value("let n = 0; for i in ..3 { n += 1; } n", 3),
        .value("let n = 0; for i in 5.. { n += 1; if n == 4 { break; } } n", 4),
        // language/iter.md — Iterate Through Numeric Ranges with `range`
        .value("let s = 0; for x in range(0, 50) { if x > 10 { continue; } s += x; } s", 55),
        .value("let a = []; for x in range(0, 10, 3) { a.push(x); } a", [0, 3, 6, 9]),
        .value("let s = 0; for i in range(0, 10, 3) { s += i; } s", 18),
        .value("let s = []; for i in range(5, 0, -2) { s.push(i); } s", [5, 3, 1]),
        .value("let a = []; for x in range(50..0, -10) { a.push(x); } a", [50, 40, 30, 20, 10]),
        .value("let s = 0; for x in range(1..=10, 3) { s += x; } s", 22),
        .value("let a = []; for x in range(5.0, 0.0, -2.0) { a.push(x); } a", [5.0, 3.0, 1.0]),
        .value("let s = []; for x in range(0.0, 1.0, 0.25) { s.push(x); } s", [0.0, 0.25, 0.5, 0.75]),
        .error("for x in range(0, 10, 0) {}", .arithmetic),
        // language/iter.md — Iterate Through Strings
        .prints("let s = \"héy\"; for ch in s { print(ch); }", ["h", "é", "y"]),
        .value("let s = \"hello, world!\"; let a = \"\"; for ch in s.chars(2, 5) { a += ch; } a", "llo, "),
        .value("let s = \"hello, world!\"; let a = \"\"; for ch in s.chars(2..s.len) { a += ch; } a", "llo, world!"),
        .value("let s = \"hello\"; let a = \"\"; for ch in s.chars(1..=2) { a += ch; } a", "el"),
        // language/iter.md — Iterate Through Bit-Fields
        .value("let x = 0b_1001110010_1101100010_1100010100; let num_on = 0; for bit in x.bits() { if bit { num_on += 1; } } num_on", 14),
        .prints("""
            let x = 0b1010_1000;
            const START = 3;
            for (bit, index) in x.bits(START, 10) {
                print(`Bit #${index} is ${if bit { "ON" } else { "OFF" }}!`);
                if index >= 2 { break; }
            }
            """, ["Bit #0 is ON!", "Bit #1 is OFF!", "Bit #2 is ON!"]),
        .value("let x = 0b1010_1000; let a = []; for bit in x.bits(3..=5) { a.push(bit); } a", [true, false, true]),
        .value("let a = []; for bit in 5.bits(-2) { a.push(bit); } a", [false, false]),
        // language/iter.md — Iterate Through Object Maps via keys and values
        .value("let map = #{a:1, b:3, c:5, d:7, e:9}; let s = 0; for x in map.values() { s += x; } s", 25),
        .value("let map = #{a:1, b:3}; let s = \"\"; for x in map.keys() { s += x; } s.len()", 2),
        // ref/for.md — iterating anything else is an error
        .error("let n = 42; for x in n {}", .forLoop),
        .error("let b = true; for x in b {}", .forLoop),
        .error("for x in 42 {}", .parsing),
        .error("for x in true {}", .parsing),
        .error("for x in () {}", .parsing),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
