import Rhai
import Testing

/// Rhai Book — `while` (language/while.md, ref/while.md), `loop` (language/loop.md, ref/loop.md),
/// `do` (language/do.md, ref/do.md) and `for` (language/for.md, ref/for.md), as statements and as
/// expressions with `break` values.
@Suite struct BookLoopsTests {
    static let cases: [BookCase] = [
        // ref/while.md — while
        .prints("""
            let x = 10;
            while x > 0 {
                x -= 1;
                if x < 6 { continue; }
                print(x);
                if x == 5 { break; }
            }
            """, ["9", "8", "7", "6"]),
        .value("let i = 0; while i < 10 { i += 1; } i", 10),
        .value("let x = while true { break; }; x", .unit),
        .value("let x = 0; let r = while x < 100 { if x == 42 { break x * 2; } x += 1; }; r", 84),
        .value("let x = 0; let r = while x < 10 { x += 1; }; r", .unit),
        .error("let c = 1; while c {}", .mismatchDataType),
        .error("while 1 {}", .parsing),
        .error("do {} while 'x'", .parsing),
        .error("do {} until ()", .parsing),
        // ref/loop.md — loop
        .prints("""
            let x = 10;
            loop {
                x -= 1;
                if x > 5 { continue; }
                print(x);
                if x == 0 { break; }
            }
            """, ["5", "4", "3", "2", "1", "0"]),
        .value("let i = 0; loop { i += 1; if i == 5 { break; } } i", 5),
        .value("let x = loop { break 42; }; x", 42),
        .value("let x = 0; let result = loop { if x == 7 { break x * 6; } x += 1; }; result", 42),
        .value("let r = loop { break; }; r", .unit),
        // ref/do.md — do ... while / do ... until
        .prints("""
            let x = 10;
            do {
                x -= 1;
                if x < 6 { continue; }
                print(x);
                if x == 5 { break; }
            } while x > 0;
            """, ["9", "8", "7", "6"]),
        .prints("""
            let x = 10;
            do {
                x -= 1;
                if x < 6 { continue; }
                print(x);
                if x == 5 { break; }
            } until x == 0;
            """, ["9", "8", "7", "6"]),
        .value("let i = 0; do { i += 1; } while i < 3; i", 3),
        .value("let i = 0; do { i += 1; } until i >= 4; i", 4),
        .value("let i = 10; do { i += 1; } while i < 3; i", 11),
        .value("let x = 0; let result = do { if x == 5 { break x + 100; } x += 1; } until x >= 100; result", 105),
        .value("let x = 0; let result = do { x += 1; } until x >= 100; result", .unit),
        .error("do { } x;", .parsing),
        // ref/for.md — for: arrays, counter variable, break/continue
        .prints("""
            let array = [1, 3, 5, 7, 9, 42];
            for x in array {
                if x > 10 { continue; }
                print(x);
                if x == 42 { break; }
            }
            """, ["1", "3", "5", "7", "9"]),
        .prints("""
            let a = [42, 123, 999, 0, true, "hello", "world!", 987.6543];
            for (item, count) in a {
                if item.type_of() == "string" { continue; }
                print(`Item #${count + 1} = ${item}`);
                if item == 0 { break; }
            }
            """, ["Item #1 = 42", "Item #2 = 123", "Item #3 = 999", "Item #4 = 0"]),
        .value("let s = 0; for x in [1, 2, 3] { s += x; } s", 6),
        .value("let s = 0; for (x, i) in [10, 20] { s += x * i; } s", 20),
        .value("let s = 0; for i in 0..10 { if i % 2 == 0 { continue; } s += i; } s", 25),
        .value("let x = for i in 0..10 { if i == 7 { break i * 2; } }; x", 14),
        .value("let x = for i in 0..10 { }; x", .unit),
        .value("""
            let a = [42, 123, 999, 0, true, "hello", "world!", 987.6543];
            let index = for (item, count) in a {
                switch item.type_of() {
                    "i64" if item.is_even => break count,
                    "f64" if item.to_int().is_even => break count,
                }
            };
            index
            """, 0),
        .value("""
            let a = [123, 999, true, "hello", 42.5];
            let index = for (item, count) in a {
                switch item.type_of() {
                    "i64" if item.is_even => break count,
                    "f64" if item.to_int().is_even => break count,
                }
            };
            index
            """, 4),
        .value("""
            let a = [123, 999, true];
            let index = for (item, count) in a {
                switch item.type_of() { "i64" if item.is_even => break count, }
            };
            if index == () { "Magic number not found!" } else { `found at ${index}` }
            """, "Magic number not found!"),
        // ref/for.md — the loop variable is a copy; it does not exist after the loop
        .value("let a = [1, 2]; for x in a { x *= 10; } a", [1, 2]),
        .error("for x in [1] { } x", .variableNotFound),
        .value("let x = 5; for x in [1] { } x", 5),
        // ref/for.md — nested loops: break and continue act on the innermost loop
        .value("let n = 0; for i in 0..3 { for j in 0..3 { if j == 1 { break; } n += 1; } } n", 3),
        .value("let n = 0; for i in 0..3 { for j in 0..3 { if j == 1 { continue; } n += 1; } } n", 6),
        // ref/for.md — break and continue inside an `if` or `switch` used as an expression
        .value("let n = 0; for i in 0..10 { let y = if i > 3 { break; } else { i }; n += y; } n", 6),
        .value("let n = 0; for i in 0..10 { let y = if i % 2 == 0 { continue; } else { i }; n += y; } n", 25),
        .value("let n = 0; for i in 0..10 { let y = switch i { 5 => break, 2 => continue, _ => i }; n += y; } n", 8),
        // … also deeper inside an expression: the rest of the expression is not evaluated
        .value("let n = 0; for i in 0..5 { n += if i == 2 { continue } else { i }; } n", 8),
        .value("let n = 0; for i in 0..5 { n = n + 100 * if i == 3 { break } else { 1 }; } n", 300),
        .value("let n = 0; for i in 0..5 { n += switch i { 1 => continue, _ => i }; } n", 9),
        .value("let a = []; for i in 0..4 { a.push(if i == 1 { continue } else { i }); } a", [0, 2, 3]),
        .value("let a = []; for i in 0..3 { a += [i, if i == 1 { continue } else { -i }]; } a", [0, 0, 2, -2]),
        .value("let n = 0; loop { n += 1; let m = #{ a: if n > 2 { break } else { n } }; } n", 3),
        .value("let n = 0; for i in 0..3 { try { n += if i == 1 { continue } else { 10 }; } catch { n = -1; } } n", 20),
        .value("fn f(a) { let s = 0; for x in a { s += if x < 0 { return -1 } else { x }; } s } [f([1, 2]), f([1, -1, 5])]", [3, -1]),
        .value("let n = 0; while true { n += 1; let y = if n > 2 { break n * 10; } else { 0 }; } ", 30),
        // ref/for.md — break and continue outside a loop are syntax errors
        .error("break;", .parsing, line: 1, column: 1),
        .error("continue;", .parsing),
        .error("fn f() { continue; }", .parsing, line: 1, column: 10),
        .error("for x in [1] { let f = || { break; }; }", .parsing),
        // stepped ranges: a step against the direction yields nothing; floats step too
        .value("let s = 0; for n in range(20, 2, -5) { s += n; } s", 50),
        .value("let s = 0; for n in range(2, 20, -5) { s += n; } s", 0),
        .value("let s = 0; for n in range(20, 2, 5) { s += n; } s", 0),
        .value("let s = 0.0; for f in range(0.5, 2.0, 0.5) { s += f; } s", 3.0),
        .value("let n = 0; for x in range(9223372036854775807, 0, 9223372036854775807) { n += 1; } n", 0),
        .value("let t = 0; for c in chars(\"abcd\", 1..=2) { t += to_int(c); } t", 197),
        // `do` runs its body once before testing; `break` leaves it with a value
        .value("do { break 7; } while false", 7),
        .value("let n = 0; do { n += 1; } while false; n", 1),
        .value("let n = 0; do { n += 1; if n < 3 { continue; } break n * 10; } while true", 30),
        // closures capture the loop variables themselves: after the loop all see their last values
        .value("let fs = []; for (v, i) in 10..13 { fs += || v * i; } let s = 0; for f in fs { s += call(f); } s", 72),
        // a `let` inside a loop body shadows the loop variable for that turn
        .value("let s = 0; for x in 0..3 { let x = 5; s += x; } s", 15),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
