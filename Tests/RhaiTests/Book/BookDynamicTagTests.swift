import Rhai
import Testing

/// Rhai Book — Dynamic Value Tag (language/dynamic-tag.md, ref/dynamic-tag.md).
@Suite struct BookDynamicTagTests {
    static let cases: [BookCase] = [
        // language/dynamic-tag.md
        .value("let x = 42; x.tag", 0),
        .value("let x = 42; x.tag()", 0),
        .value("tag(\"any value\")", 0),
        .value("let x = 42; x.tag = 123; x.tag", 123),
        .value("let x = 42; set_tag(x, 123); x.tag", 123),
        .value("let x = 42; x.set_tag(7); x.tag", 7),
        .value("let x = 42; x.tag = 123; x.tag() == 123 && tag(x) == 123", true),
        .value("let x = 42; x.tag[3..5] = 2; x.tag[3..5]", 2),
        .value("let x = 42; x.tag[3..5] = 2; x.tag", 16),
        .value("let x = 42; x.tag = 123; let y = x; y.tag", 123),
        .value("let x = [0, 1, 2, 3, 42, 99, 123]; let filtered = x.map(|v, i| { v.tag = i; v }).filter(|v| v.is_odd()); filtered.map(|v| v.tag)",
               [1, 3, 5, 6]),
        // ref/dynamic-tag.md: the tag is an i32
        .value("let x = 1; x.tag = -2147483648; x.tag", -2_147_483_648),
        .error("let x = 1; x.tag = 2147483648;", .arithmetic),
        .error("let x = 1; set_tag(x, -2147483649);", .arithmetic),
        .error("let x = 1; x.tag[31] = true;", .arithmetic),
        .error("let x = 1; x.tag = \"a\";", .mismatchDataType),
        // the tag goes with the value: arguments, results, containers, closures
        .value("fn f(v) { v.tag } let x = 1; x.tag = 7; f(x)", 7),
        .value("fn g() { let v = 1; v.tag = 5; v } g().tag", 5),
        .value("let a = []; let x = 1; x.tag = 9; a.push(x); a[0].tag", 9),
        .value("let m = #{}; let x = \"s\"; x.tag = 3; m.k = x; m.k.tag", 3),
        .value("let x = 1; x.tag = 3; let f = || x.tag; f()", 3),
        .value("let x = 1; let f = || { x.tag = 8 }; f(); x.tag", 8),
        // operations make untagged values; in-place changes keep the tag; assignment replaces it
        .value("let x = 1; x.tag = 9; (x + 1).tag", 0),
        .value("let x = 1; x.tag = 9; x += 1; [x, x.tag]", [2, 9]),
        .value("let x = 1; x.tag = 3; x = 5; x.tag", 0),
        .value("let a = [1, 2]; a.tag = 4; a.push(3); a[0] = 9; [a, a.tag]", [[9, 2, 3], 4]),
        .value("let m = #{a: 1}; m.tag = 4; m.b = 2; m.tag", 4),
        // a tagged value works as its value everywhere
        .value("let x = 40; x.tag = 1; [x + 2, x == 40, x > 3, -x, type_of(x), x.to_string(), `${x}`]",
               [42, true, true, -40, "i64", "40", "40"]),
        .value("let s = \"abc\"; s.tag = 2; [s.len(), s[1] == 'b', s + \"d\", \"b\" in s]", [3, true, "abcd", true]),
        .value("let a = [1, 2, 3]; let i = 1; i.tag = 5; a.tag = 6; [a[i], a.len(), 2 in a]", [2, 3, true]),
        .value("let b = true; b.tag = 1; if b { 1 } else { 2 }", 1),
        .value("let x = 2; x.tag = 1; switch x { 2 => \"two\", _ => \"other\" }", "two"),
        .value("let a = [1, 2]; a.tag = 1; let s = 0; for v in a { s += v } s", 3),
        .value("let x = 1; x.tag = 3; [x].to_json()", "[1]"),
        .value("let x = (); x.tag = 3; x ?? 5", 5),
        .value("let f = |x| x + 1; f.tag = 3; [f.call(1), f(1), call(f, 1), f.curry(2).call()]", [2, 2, 2, 3]),
        .value("let a = [1]; a.tag = 3; a += [2]; let b = blob(2); b.tag = 1; b[0] = 5; [a, a.tag, b[0], b.tag]", [[1, 2], 3, 5, 1]),
        .value("let t = \"abc\"; t.tag = 1; t[0] = 'x'; let n = 42; n.tag = 9; [t, t.tag, n[1], n[0..3]]", ["xbc", 1, true, 2]),
        .value("let m = #{}; let k = \"a\"; k.tag = 1; m[k] = 5; m.a", 5),
        .value("let a = [1, [2, 3]]; let i = 1; i.tag = 3; a[i] = 5; let b = [[1, 2]]; b[0][i] += 1; let s = \"ab\"; s[i] = 'x'; [a, b, s]",
               [[1, 5], [[1, 3]], "ax"]),
        // a map's `tag` is its property
        .value("let m = #{tag: 5}; m.tag", 5),
        .value("let m = #{}; m.tag = 6; m", Dynamic.map(["tag": 6])),
        // tagged containers still nest at most `maxNesting` deep
        .error("let a = []; for i in 0..2000 { a.tag = 1; a = [a]; }", .dataTooLarge),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
