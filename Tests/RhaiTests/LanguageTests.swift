import Rhai
import Testing

/// Core language: each script's value.
@Suite struct LanguageTests {
    static let cases: [(String, Dynamic)] = [
        // literals and operators
        ("42", 42), ("0x1F", 31), ("0o17", 15), ("0b101", 5), ("1_000_000", 1_000_000), ("-9223372036854775808", .int(.min)),
        ("1.5e3", 1500.0), ("'x'", .char("x")), ("\"a\\tb\"", "a\tb"), ("()", .unit), ("true && !false", true),
        ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("2 ** 3 ** 2", 512), ("-2 ** 2", 4), ("7 / 2", 3), ("-7 % 3", -1),
        ("7.0 / 2", 3.5), ("1 + 2.5", 3.5), ("1 << 4", 16), ("256 >> 4", 16), ("1 << -1", 0), ("6 & 3", 2), ("6 | 3", 7), ("6 ^ 3", 5),
        ("1 == 1.0", true), ("1 < 2 && 2 < 3", true), ("\"a\" < \"b\"", true), ("'a' < 'b'", true),
        ("1 == \"1\"", false), ("1 != \"1\"", true), ("'x' > 100", false), ("() == ()", true),
        ("true | false", true), ("true & false", false), ("true ^ true", false),
        ("\"abc\" + 1", "abc1"), ("1 + \"abc\"", "1abc"), ("'a' + 'b'", "ab"), ("\"x\" + ()", "x"),
        ("[1, 2] + [3]", [1, 2, 3]), ("#{a: 1} + #{b: 2}", ["a": 1, "b": 2]),
        // variables and blocks
        ("let x = 1; x += 2; x", 3), ("let x = 1; { let x = 5; } x", 1), ("let x = 1; let x = x + 1; x", 2),
        ("let x; x", .unit), ("const X = 5; X * 2", 10), ("let x = { let y = 2; y * 3 }; x", 6),
        ("let s = \"ab\"; s += \"cd\"; s", "abcd"), ("let a = [1]; a += 2; a", [1, 2]), ("let a = [1]; a += [2, 3]; a", [1, 2, 3]),
        ("let x = 10; x -= 3; x *= 2; x /= 7; x", 2), ("let x = 2; x **= 10; x", 1024), ("let x = 7; x %= 4; x", 3),
        ("let x = 1; x <<= 3; x", 8), ("let x = 1; x |= 6; x", 7),
        // control flow
        ("if 1 > 2 { 1 } else if 2 > 1 { 2 } else { 3 }", 2), ("if false { 1 }", .unit),
        ("let x = if true { 10 } else { 20 } * 2; x", 20),
        ("let i = 0; while i < 10 { i += 1; } i", 10), ("let i = 0; loop { i += 1; if i == 5 { break; } } i", 5),
        ("let i = 0; do { i += 1; } while i < 3; i", 3), ("let i = 0; do { i += 1; } until i >= 4; i", 4),
        ("let s = 0; for i in 0..5 { s += i; } s", 10), ("let s = 0; for i in 0..=5 { s += i; } s", 15),
        ("let s = 0; for x in [1, 2, 3] { s += x; } s", 6), ("let s = \"\"; for c in \"abc\" { s = c + s; } s", "cba"),
        ("let s = 0; for (x, i) in [10, 20] { s += x * i; } s", 20),
        ("let s = 0; for i in range(0, 10, 3) { s += i; } s", 18), ("let s = []; for i in range(5, 0, -2) { s.push(i); } s", [5, 3, 1]),
        ("let s = 0; for i in 0..10 { if i % 2 == 0 { continue; } s += i; } s", 25),
        ("let x = loop { break 42; }; x", 42), ("let x = for i in 0..10 { if i == 7 { break i * 2; } }; x", 14),
        ("let x = while true { break; }; x", .unit),
        // functions
        ("fn add(a, b) { a + b } add(2, 3)", 5), ("fn f() { return 7; 8 } f()", 7),
        ("fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } } fib(15)", 610),
        ("fn f(x) { x = 5; x } let y = 1; f(y); y", 1), ("fn inc() { this += 1; } let x = 1; x.inc(); x", 2),
        ("fn f(a) { a } fn f(a, b) { a + b } f(1) + f(2, 3)", 6), ("fn sq(x) { x * x } let f = sq; f.call(4)", 16),
        ("fn sq(x) { x * x } [1, 2, 3].map(sq)", [1, 4, 9]), ("const K = 3; fn f() { global::K * 2 } f()", 6),
        // closures and function pointers
        ("let f = |x| x + 1; f.call(1)", 2), ("let f = |x| x + 1; f(41)", 42), ("let f = Fn(\"abs\"); f.call(-3)", 3),
        ("let n = 10; let f = |x| x + n; f.call(1)", 11), ("let n = 1; let f = || n += 1; f.call(); f.call(); n", 3),
        ("let add = |a, b| a + b; let inc = add.curry(1); inc.call(5)", 6), ("let f = |x| x * 2; type_of(f)", "Fn"),
        ("fn foo() {} let f = Fn(\"foo\"); f.name", "foo"), ("let f = |x| x; f.is_anonymous", true),
        ("let obj = #{v: 1, get: || this.v}; obj.get()", 1), ("let obj = #{v: 1, inc: |n| this.v += n}; obj.inc(5); obj.v", 6),
        ("fn add(x) { this + x } let f = Fn(\"add\"); let x = 41; x.call(f, 1)", 42),
        ("let x = 1; let f = || { let x = 5; x }; f.call() + x", 6),
        ("let fs = []; for i in 0..3 { let j = i; fs.push(|| j); } fs.map(|f| f.call())", [0, 1, 2]),
        // switch
        ("switch 3 { 1 => \"a\", 2 | 3 => \"b\", _ => \"c\" }", "b"), ("switch 50 { 0..10 => 1, 10..=100 => 2, _ => 3 }", 2),
        ("switch 4 { 0..10 if 4 % 2 == 1 => 1, 0..10 => 2, _ => 3 }", 2), ("switch \"x\" { \"x\" => { 1 } _ => 2 }", 1),
        ("switch 99 { 1 => 1 }", .unit), ("let x = 5; switch x { 5 if x > 10 => 1, _ => 0 }", 0),
        ("let r = []; for i in 0..5 { switch i { 3 => break, _ => r.push(i) } } r", [0, 1, 2]),
        ("fn f(x) { switch x { 1 => return \"one\", _ => () } \"other\" } f(1) + f(2)", "oneother"),
        ("fn make(n) { let c = 0; || { c += n; c } } let f = make(2); f.call(); f.call()", 4),
        ("let a = |x| |y| x + y; a.call(1).call(2)", 3), ("let total = 0; [1, 2, 3].for_each(|| total += this); total", 6),
        ("let x = #{a: [1, #{b: 2}]}; x.a[1].b = 3; x.a[1].b", 3), ("let m = #{n: 1}; m.n += 1; m.n *= 10; m.n", 20),
        ("`a${ \"}\" }b`", "a}b"), ("let m = #{v: 1}; m.get = || this.v; m.get()", 1),
        ("const X; X", .unit), ("fn sub(x, y,) { x - y } sub(2, 3,)", -1),
        ("let v = 1; fn f() { global::v } try { f() } catch { 0 }", 0),
        ("{ const INNER = 1; } fn f() { global::INNER } try { f() } catch { 0 }", 0),
        ("fn foo(y) { x += y; let z = 0; x } let x = 1; let r = foo!(41); [r, x]", [42, 42]),
        ("fn foo(y) { x += y; x } fn bar() { let x = 10; foo!(5); x } bar()", 15),
        ("fn foo() { x } let x = 1; try { foo() } catch { -1 }", -1),
        ("let x = 1; let a = x.is_shared(); let f = || x; [a, x.is_shared()]", [false, true]),
        // try/catch/throw
        ("try { throw 42; } catch (e) { e + 1 }", 43), ("try { throw \"boom\"; } catch { 7 }", 7),
        ("try { let x = 1 / 0; 0 } catch (e) { e.message }", "Division by zero: 1 / 0"),
        ("try { [1][5] } catch (e) { e.error }", "ErrorArrayBounds"),
        ("fn f() { throw #{code: 3}; } try { f() } catch (e) { e.code }", 3),
        ("let r = 0; for i in 0..3 { try { if i == 1 { throw i; } r += 1; } catch { r += 10; } } r", 12),
        // strings, interpolation
        ("let x = 5; `x = ${x + 1}!`", "x = 6!"), ("`a${`b${1}`}c`", "ab1c"), ("`$x ${()}`", "$x "), ("`a``b`", "a`b"),
        ("\"hello\"[1]", .char("e")), ("\"hello\"[-1]", .char("o")), ("let s = \"hello\"; s[0] = 'j'; s", "jello"),
        ("\"hello\".len", 5), ("\"héllo\".len()", 5), ("\"ell\" in \"hello\"", true), ("'z' in \"hello\"", false),
        // arrays and maps
        ("let a = [1, 2, 3]; a[1] = 20; a", [1, 20, 3]), ("let a = [[1, 2], [3]]; a[0][1] = 9; a", [[1, 9], [3]]),
        ("let a = [1, 2, 3]; a[-1]", 3), ("let a = [1, 2]; let b = a; b.push(3); a.len() + b.len()", 5),
        ("let m = #{a: 1}; m.b = 2; m[\"c\"] = 3; m", ["a": 1, "b": 2, "c": 3]), ("let m = #{a: #{b: 1}}; m.a.b = 5; m.a.b", 5),
        ("let m = #{}; m.missing", .unit), ("let m = #{\"x y\": 1}; m[\"x y\"]", 1), ("let m = #{a: [1]}; m.a.push(2); m.a", [1, 2]),
        ("2 in [1, 2]", true), ("\"a\" in #{a: 1}", true), ("5 in 1..5", false), ("5 !in [1]", true), ("3 in 1..=3", true),
        ("let a = [3, 1, 2]; a.sort(); a", [1, 2, 3]), ("[1, 2, 3, 4].filter(|x| x % 2 == 0)", [2, 4]),
        ("[1, 2, 3].reduce(|s, x| s + x, 0)", 6), ("[1, 2, 3].map(|x, i| x * i)", [0, 2, 6]),
        // null-safety, ranges
        ("let x = (); x ?? 5", 5), ("let x = 1; x ?? 5", 1), ("let m = (); m?.a", .unit), ("let m = #{a: 1}; m?.a", 1),
        ("let a = (); a?[0]", .unit), ("let m = #{a: ()}; m.a?.b ?? 7", 7), ("type_of(1..3)", "range"), ("type_of(1..=3)", "range="),
        // type_of and conversions
        ("type_of(1)", "i64"), ("type_of(1.0)", "f64"), ("type_of(\"\")", "string"), ("type_of('c')", "char"),
        ("type_of([])", "array"), ("type_of(#{})", "map"), ("type_of(())", "()"), ("type_of(true)", "bool"),
        ("type_of(timestamp())", "timestamp"), ("42.to_string()", "42"), ("1.5.to_int()", 1), ("3.to_float()", 3.0),
        ("parse_int(\"42\")", 42), ("parse_int(\"ff\", 16)", 255), ("parse_float(\"1.5\")", 1.5),
        ("is_def_var(\"x\")", false), ("let x = 1; is_def_var(\"x\")", true), ("fn f(a) {} is_def_fn(\"f\", 1)", true),
        // comments, semicolons
        ("/* a /* nested */ comment */ 1 // trailing", 1), ("let x = 1;;; x", 1), ("#!/usr/bin/env rhai\n5", 5),
        ("let x = 1; x = 2; export x as y; x", 2),
    ]

    @Test(arguments: cases.indices)
    func evaluates(_ k: Int) throws {
        let (script, expected) = Self.cases[k]
        let value = try evalScript(script)
        #expect(value == expected && value.typeName == expected.typeName, "\(script) → \(value.debugDescription)")
    }

    @Test func printAndDebugGoToTheSink() throws {
        let (_, lines) = try runScript(#"print("hi"); print(42); debug("s"); debug('c'); debug([1, "a"]); debug(#{b: 1, a: ()}); print(1.0); print(())"#)
        #expect(lines == ["hi", "42", "\"s\"", "'c'", "[1, \"a\"]", "#{\"a\": (), \"b\": 1}", "1.0", ""])
    }

    @Test func floatsDisplayAsRhaiDoes() throws {
        let cases: [(Double, String)] = [(2, "2.0"), (0, "0.0"), (123.456, "123.456"), (1e14, "1e14"), (1.5e-14, "1.5e-14"),
                                         (0.1, "0.1"), (-3.25, "-3.25"), (1e13, "10000000000000.0"), (0.00001, "0.00001")]
        for (v, s) in cases { #expect(Dynamic.float(v).description == s) }
    }
}
