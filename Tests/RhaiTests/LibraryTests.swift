import Rhai
import Testing

/// The standard library packages: strings, arrays, maps, math, conversions, BLOBs, time.
@Suite struct LibraryTests {
    static let cases: [(String, Dynamic)] = [
        // strings
        (#""hello".len"#, 5), (#""héllo".bytes"#, 6), (#""".is_empty()"#, true), (#""Hello".to_upper()"#, "HELLO"),
        (#""Hello".to_lower()"#, "hello"), (#"let s = "  x  "; s.trim(); s"#, "x"), (#""hello".contains("ell")"#, true),
        (#""hello".contains('z')"#, false), (#""hello".starts_with("he")"#, true), (#""hello".ends_with("lo")"#, true),
        (#""hello".index_of('l')"#, 2), (#""hello".index_of("l", 3)"#, 3), (#""hello".index_of("x")"#, -1),
        (#""hello".sub_string(1, 3)"#, "ell"), (#""hello".sub_string(2)"#, "llo"), (#""hello".sub_string(-3, 2)"#, "ll"),
        (#""hello".sub_string(1..3)"#, "el"), (#""a,b,,c".split(",")"#, ["a", "b", "", "c"]), (#""a b  c".split()"#, ["a", "b", "c"]),
        (#""a,b,c".split(",", 2)"#, ["a", "b,c"]), (#""hello".split(2)"#, ["he", "llo"]),
        (#"let s = "a-b-c"; s.replace("-", "+"); s"#, "a+b+c"), (#"let s = "abc"; s.pad(5, '*'); s"#, "abc**"),
        (#"let s = "hello"; s.truncate(2); s"#, "he"), (#"let s = "hello"; s.crop(1, 3); s"#, "ell"),
        (#"let s = "hello"; s.remove('l'); s"#, "heo"), (#"let s = "hello"; s.pop()"#, .char("o")),
        (#"let s = "hello"; s.pop(2)"#, "lo"), (#""abc".chars()"#, [.char("a"), .char("b"), .char("c")]),
        (#""hello".get(1)"#, .char("e")), (#""hello".get(10)"#, .unit), (#"let s = "abc"; s.set(0, 'x'); s"#, "xbc"),
        (#"let s = "ab"; s.make_upper(); s"#, "AB"), (#""abc".to_blob().len()"#, 3), (#"'a'.to_upper()"#, .char("A")),
        (#"let s = "a"; s.append(1); s"#, "a1"), (#"let s = "abc"; s.clear(); s"#, ""),
        // arrays
        ("[1, 2, 3].len()", 3), ("[].is_empty()", true), ("let a = [1]; a.push(2); a", [1, 2]), ("let a = [1, 2]; a.pop()", 2),
        ("let a = [1, 2]; a.shift()", 1), ("let a = [1, 3]; a.insert(1, 2); a", [1, 2, 3]), ("let a = [1, 2, 3]; a.remove(1)", 2),
        ("let a = [1, 2, 3]; a.remove(9)", .unit), ("let a = [1, 2, 3]; a.truncate(1); a", [1]), ("let a = [1, 2, 3]; a.chop(1); a", [1, 2]),
        ("let a = [1, 2, 3]; a.reverse(); a", [3, 2, 1]), ("let a = [1]; a.pad(3, 0); a", [1, 0, 0]), ("[1, 2, 3, 4].extract(1, 2)", [2, 3]),
        ("[1, 2, 3, 4].extract(2)", [3, 4]), ("[1, 2, 3, 4].extract(1..3)", [2, 3]),
        ("let a = [1, 2, 3, 4]; a.splice(1, 2, [9]); a", [1, 9, 4]), ("let a = [1, 2, 3, 4]; a.drain(1, 2)", [2, 3]),
        ("let a = [1, 2, 3, 4]; a.drain(|x| x > 2); a", [1, 2]), ("let a = [1, 2, 3, 4]; a.retain(|x| x > 2); a", [3, 4]),
        ("let a = [1, 2, 3, 4]; let b = a.split(1); b", [2, 3, 4]), ("[1, 2, 3].contains(2)", true), ("[1, 2, 3].index_of(3)", 2),
        ("[1, 2, 3].index_of(|x| x > 1)", 1), ("[1, 2, 3].find(|x| x > 1)", 2), ("[1, 2, 3].find_map(|x| if x > 1 { x * 10 })", 20),
        ("[1, 2, 3].some(|x| x > 2)", true), ("[1, 2, 3].all(|x| x > 2)", false), ("[1, 2, 3].reduce(|s, x| (s ?? 0) + x)", 6),
        ("[1, 2, 3].reduce_rev(|s, x| s + x, 10)", 16), ("let a = [3, 1, 2]; a.sort(|x, y| y - x); a", [3, 2, 1]),
        ("let a = [\"b\", \"a\"]; a.sort(); a", ["a", "b"]), ("let a = [1, 1, 2, 1]; a.dedup(); a", [1, 2, 1]),
        ("fn even(x) { x % 2 == 0 } [1, 2, 3, 4].filter(\"even\")", [2, 4]), ("[1, 2].get(-1)", 2), ("[1, 2].get(5)", .unit),
        ("let a = [1, 2]; a.set(0, 5); a", [5, 2]), ("let a = [1]; a.append([2, 3]); a", [1, 2, 3]), ("let a = [1]; a.clear(); a", []),
        ("let a = [[1]]; a[0].push(2); a", [[1, 2]]), ("let a = [1, 2]; a.for_each(|| this *= 10); a", [10, 20]),
        ("[1, 2] == [1, 2]", true), ("[1, [2]] != [1, [3]]", true),
        // maps
        ("#{b: 2, a: 1}.keys()", ["a", "b"]), ("#{b: 2, a: 1}.values()", [1, 2]), ("#{a: 1}.len()", 1), ("#{a: 1}.contains(\"a\")", true),
        ("let m = #{a: 1, b: 2}; m.remove(\"a\")", 1), ("let m = #{a: 1, b: 2}; m.remove(\"a\"); m", ["b": 2]),
        ("let m = #{a: 1}; m.mixin(#{a: 2, b: 3}); m", ["a": 2, "b": 3]), ("let m = #{a: 1}; m.fill_with(#{a: 2, b: 3}); m", ["a": 1, "b": 3]),
        ("let m = #{a: 1}; m += #{c: 3}; m.len()", 2), ("#{a: 1}.get(\"a\")", 1), ("let m = #{}; m.set(\"x\", 1); m.x", 1),
        ("#{a: 1, b: 2}.filter(|k, v| v > 1)", ["b": 2]), ("#{a: 1, b: [true, ()]}.to_json()", #"{"a":1,"b":[true,null]}"#),
        ("let m = #{a: 1}; m.clear(); m.is_empty()", true), ("let s = 0; for k in #{a: 1, b: 2}.keys() { s += 1; } s", 2),
        // math and numbers
        ("abs(-5)", 5), ("(-5).abs()", 5), ("sqrt(16.0)", 4.0), ("sqrt(16)", 4.0), ("floor(2.7)", 2.0), ("ceiling(2.1)", 3.0),
        ("round(2.5)", 3.0), ("int(2.7)", 2.0), ("fraction(2.5)", 0.5), ("2.5.floor()", 2.0), ("exp(0.0)", 1.0), ("ln(1.0)", 0.0),
        ("log(100.0)", 2.0), ("log(8.0, 2.0)", 3.0), ("min(3, 1)", 1), ("max(3, 1)", 3), ("max(1, 2.5)", 2.5), ("sign(-3)", -1),
        ("PI() > 3.14", true), ("E() > 2.71", true), ("5.is_odd()", true), ("4.is_even()", true), ("0.is_zero()", true),
        ("to_degrees(PI())", 180.0), ("(0.0 / 0.0).is_nan()", true), ("(1.0 / 0.0).is_infinite()", true),
        ("parse_int(\"-12\")", -12), ("parse_int(\"101\", 2)", 5), ("255.to_hex()", "ff"), ("8.to_octal()", "10"), ("5.to_binary()", "101"),
        ("'A'.to_int()", 65), ("65.to_char()", .char("A")), ("1.9.to_int()", 1), ("(-1.9).to_int()", -1), ("true.to_int()", 1),
        ("let x = 0; x.set_bit(3, true); x", 8), ("10.get_bit(1)", true), ("0b1011.get_bits(0, 2)", 3), ("let x = 5; x[0]", true),
        ("let x = 0; x[4] = true; x", 16), ("0b110110[1..4]", 3), ("0b110110[1..=4]", 11), ("3.14.round(1)", 3.1), ("to_string(1.5)", "1.5"), ("(3).to_float()", 3.0),
        // function pointers
        ("let f = Fn(\"max\"); f.call(1, 2)", 2), ("fn add(a, b) { a + b } let f = Fn(\"add\").curry(1); f.call(2)", 3),
        ("let f = |a, b| a * b; call(f, 3, 4)", 12), ("let f = |x| x; f.curry(5).call()", 5), ("is_def_fn(\"nope\", 0)", false),
        // ranges and BLOBs
        ("(1..5).len()", 4), ("(1..=5).end", 5), ("(1..5).start", 1), ("(1..5).contains(5)", false), ("range(0, 3).len()", 3), ("let s = []; for x in range(0.0, 1.0, 0.25) { s.push(x); } s", [0.0, 0.25, 0.5, 0.75]),
        ("let s = 0; for x in range(1..=10, 3) { s += x; } s", 22),
        ("let b = blob(3, 1); b.len()", 3), ("let b = blob(); b.push(255); b[0]", 255), ("let b = blob(2); b[1] = 7; b.to_array()", [0, 7]),
        ("let b = blob(); b += 1; b += [2].len(); b.len()", 2), ("type_of(blob())", "blob"), ("let b = blob(); b.append(\"ab\"); b.len()", 2),
        // time
        ("let t = timestamp(); t.elapsed >= 0.0", true), ("let t = timestamp(); type_of(t.elapsed)", "f64"),
    ]

    @Test(arguments: cases.indices)
    func evaluates(_ k: Int) throws {
        let (script, expected) = Self.cases[k]
        let value = try evalScript(script)
        #expect(value == expected && value.typeName == expected.typeName, "\(script) → \(value.debugDescription)")
    }

    @Test func wrongArgumentTypesAreFunctionNotFound() {
        #expect(scriptError("\"abc\".sub_string(\"x\")")?.kind == .functionNotFound)
        #expect(scriptError("[1].push()")?.kind == .functionNotFound)
        #expect(scriptError("[1, \"a\"].sort()")?.kind == .runtime)
        #expect(scriptError("parse_int(\"abc\")")?.kind == .runtime)
        #expect(scriptError("abs(-9223372036854775807 - 1)")?.kind == .arithmetic)
        #expect(scriptError("1e300.to_int()")?.kind == .arithmetic)
    }
}
