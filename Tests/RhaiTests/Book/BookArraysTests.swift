import Rhai
import Testing

/// Rhai Book — Arrays (language/arrays.md, ref/arrays.md): literals, element access, built-in
/// functions and the Book's examples.
@Suite struct BookArraysTests {
    static let cases: [BookCase] = [
        // ref/arrays.md — Literal Syntax
        .value("let y = [2, 3]; y", [2, 3]),
        .value("let y = [2, 3,]; y", [2, 3]),
        .value("[]", []),
        .value("type_of([1, 2])", "array"),
        .value("[1, \"a\", 'b', 2.5, true, ()]", [1, "a", .char("b"), 2.5, true, .unit]),
        .error("[1, 2", .parsing),
        .error("[1 2]", .parsing),
        // ref/arrays.md — Element Access: from the beginning and from the end
        .value("[1, 2, 3][0]", 1),
        // an array literal indexed by a literal that is not an integer is a syntax error
        .error("[1, 2, 3][\"a\"]", .parsing),
        .error("[1, 2, 3][1.0]", .parsing),
        .error("[1, 2, 3][true]", .parsing),
        .error("[1, 2, 3][()]", .parsing),
        .error("[1, 2, 3]['b']", .parsing),
        .error("[1, 2][false || true]", .parsing),
        .error("[1, 2][true && true]", .parsing),
        .error("[0][`x`]", .parsing),
        // only the first index of a literal is checked; a computed index is checked when it runs
        .error("[[1], 2][0]['z']", .mismatchDataType),
        .error("[1, 2][1 > 0]", .mismatchDataType),
        .error("let a = [1, 2]; a[1 == 1 || false]", .mismatchDataType),
        .error("[1, 2, 3][true && false]", .parsing),
        .error("\"abc\"[\"a\"]", .parsing),
        .error("\"abc\"[1 > 0 || false]", .parsing),
        .error("10[`a`]", .parsing),
        .error("let a = [1]; a[true && false]", .mismatchDataType),
        .value("let i = 1; [1, 2, 3][i]", 2),
        .value("[1, 2, 3][-1]", 3),
        .value("let a = [1, 2, 3]; a[-3]", 1),
        .value("let a = [[1, 2], [3]]; a[0][1]", 2),
        .error("let a = [1, 2];\na[2]", .arrayBounds, line: 2, column: 2),
        .error("let a = [1, 2]; a[-3]", .arrayBounds),
        .error("[1][5]", .arrayBounds),
        .error("let a = [1]; a[5] = 1;", .arrayBounds, line: 1, column: 15),
        .error("let a = [1]; a[\"x\"]", .mismatchDataType),
        .error("let a = [1]; a[0.0] = 2;", .mismatchDataType),
        .error("let a = [1]; a[0..1]", .mismatchDataType),
        .value("let a = [1, 2, 3]; a[1] = 20; a", [1, 20, 3]),
        .value("let a = [[1, 2], [3]]; a[0][1] = 9; a", [[1, 9], [3]]),
        .value("let a = [1, 2, 3]; a[-1] = 0; a", [1, 2, 0]),
        .value("let a = [1, 2]; let b = a; b.push(3); a.len() + b.len()", 5),
        // ref/arrays.md — Built-in Functions: get, set
        .value("[1, 2].get(-1)", 2),
        .value("[1, 2].get(5)", .unit),
        .value("let a = [1, 2]; a.set(0, 5); a", [5, 2]),
        .value("let a = [1, 2]; a.set(5, 5); a", [1, 2]),
        // an index before the first element names the first (calc_offset_len), despite the doc comment
        .value("[1, 2].get(-9)", 1),
        .value("let a = [1, 2]; a.set(-9, 5); a", [5, 2]),
        .value("[].get(-1)", .unit),
        // ref/arrays.md — push, append, +=, +
        .value("let a = [1]; a.push(2); a", [1, 2]),
        .value("let a = [1]; a.push([2]); a", [1, [2]]),
        .value("let a = [1]; a.append([2, 3]); a", [1, 2, 3]),
        .value("[1, 2] + [3]", [1, 2, 3]),
        .value("let a = [1]; a += 2; a", [1, 2]),
        .error("[1].push()", .functionNotFound),
        // ref/arrays.md — ==, !=
        .value("[1, 2] == [1, 2]", true),
        .value("[1, [2]] != [1, [3]]", true),
        .value("[1, 2] == [1, 2.0]", true),
        .value("[1] == [1, 2]", false),
        // ref/arrays.md — insert, pop, shift, extract, remove, reverse, len, is_empty
        .value("let a = [1, 3]; a.insert(1, 2); a", [1, 2, 3]),
        .value("let a = [1, 2]; a.insert(-1, 9); a", [1, 9, 2]),
        .value("let a = [1, 2]; a.insert(99, 9); a", [1, 2, 9]),
        .value("let a = [1, 2]; a.pop()", 2),
        .value("let a = []; a.pop()", .unit),
        .value("let a = [1, 2]; a.shift()", 1),
        .value("let a = []; a.shift()", .unit),
        .value("[1, 2, 3, 4].extract(1, 2)", [2, 3]),
        .value("[1, 2, 3, 4].extract(2)", [3, 4]),
        .value("[1, 2, 3, 4].extract(-1)", [4]),
        .value("[1, 2, 3, 4].extract(1..3)", [2, 3]),
        .value("[1, 2, 3, 4].extract(1..=3)", [2, 3, 4]),
        .value("[1, 2, 3, 4].extract(1, 0)", []),
        .value("let a = [1, 2, 3]; a.remove(1)", 2),
        .value("let a = [1, 2, 3]; a.remove(-1); a", [1, 2]),
        .value("let a = [1, 2, 3]; a.remove(9)", .unit),
        .value("let a = [1, 2, 3]; a.reverse(); a", [3, 2, 1]),
        .value("[1, 2, 3].len()", 3),
        .value("[1, 2, 3].len", 3),
        .value("[].is_empty()", true),
        .value("[1].is_empty", false),
        // ref/arrays.md — pad, clear, truncate, chop, split
        .value("let a = [1]; a.pad(3, 0); a", [1, 0, 0]),
        .value("let a = [1, 2, 3]; a.pad(2, 0); a", [1, 2, 3]),
        .value("let a = [1]; a.clear(); a", []),
        .value("let a = [1, 2, 3]; a.truncate(1); a", [1]),
        .value("let a = [1, 2, 3]; a.chop(1); a", [3]),
        .value("let a = [1, 2, 3]; a.chop(5); a", [1, 2, 3]),
        .value("let a = [1, 2, 3, 4]; let b = a.split(1); [a, b]", [[1], [2, 3, 4]]),
        .value("let a = [1, 2, 3, 4]; let b = a.split(-1); [a, b]", [[1, 2, 3], [4]]),
        // ref/arrays.md — for_each
        .value("let a = [1, 2]; a.for_each(|| this *= 10); a", [10, 20]),
        .value("let a = [1, 2]; a.for_each(|i| this += i); a", [1, 3]),
        .value("let total = 0; [1, 2, 3].for_each(|| total += this); total", 6),
        // ref/arrays.md — drain, retain
        .value("let a = [1, 2, 3, 4]; a.drain(|x| x > 2); a", [1, 2]),
        .value("let a = [1, 2, 3, 4]; a.drain(|x| x > 2)", [3, 4]),
        .value("let a = [1, 2, 3, 4]; a.drain(1, 2)", [2, 3]),
        .value("let a = [1, 2, 3, 4]; a.drain(1..3); a", [1, 4]),
        .value("let a = [1, 2, 3, 4]; a.retain(|x| x > 2); a", [3, 4]),
        .value("let a = [1, 2, 3, 4]; a.retain(|x| x > 2)", [1, 2]),
        .value("let a = [1, 2, 3, 4]; a.retain(1, 2); a", [2, 3]),
        .value("let a = [1, 2, 3, 4]; a.retain(1..3)", [1, 4]),
        .value("let a = [1, 2, 3, 4]; a.retain(1..=2); a", [2, 3]),
        // an empty span removes nothing (retain_range returns early)
        .value("let a = [1, 2, 3]; let r = a.retain(1, 0); [a, r]", [[1, 2, 3], []]),
        .value("let a = [1, 2, 3]; let r = a.retain(5..9); [a, r]", [[1, 2, 3], []]),
        .value("let a = [1, 2, 3]; let r = a.retain(-9, 2); [a, r]", [[1, 2], [3]]),
        .value("let a = [5, 6]; a.drain(|| this > 5); a", [5]),
        // ref/arrays.md — splice
        .value("let a = [1, 2, 3, 4]; a.splice(1, 2, [9]); a", [1, 9, 4]),
        .value("let a = [1, 2, 3, 4]; a.splice(1..=2, [7, 8, 9]); a", [1, 7, 8, 9, 4]),
        .value("let a = [1, 2]; a.splice(9, 1, [3]); a", [1, 2, 3]),
        // ref/arrays.md — filter, contains, index_of, find, find_map
        .value("[1, 2, 3, 4].filter(|x| x % 2 == 0)", [2, 4]),
        .value("fn even(x) { x % 2 == 0 } [1, 2, 3, 4].filter(\"even\")", [2, 4]),
        // a callback answer that is not a bool counts as false (as_bool().unwrap_or(false))
        .value("[1, 2, 3].filter(|x| if x > 1 { true } else { 1 })", [2, 3]),
        .value("[1, 2].some(|x| x)", false),
        .value("[1, 2].all(|x| ())", false),
        .value("[1, 2].index_of(|x| \"yes\")", -1),
        .value("let a = [1, 2]; let r = a.retain(|x| 0); [a, r]", [[], [1, 2]]),
        .value("[1, 2, 3].contains(2)", true),
        .value("[1, 2, 3].contains(\"2\")", false),
        .value("[1, 2, 3].index_of(3)", 2),
        .value("[1, 2, 3].index_of(4)", -1),
        .value("[1, 2, 1].index_of(1, 1)", 2),
        .value("[1, 2, 1].index_of(1, -1)", 2),
        .value("[1, 2, 3].index_of(|x| x > 1)", 1),
        .value("[1, 2, 3].index_of(|x| x > 1, 2)", 2),
        // a string names the predicate when such a function exists, otherwise it is a value to find
        .value("fn is_special(x) { x > 3 } [1, 5, 7].index_of(\"is_special\")", 1),
        .value("fn is_special(x) { x > 3 } [1, 5, 7].index_of(\"is_special\", 2)", 2),
        .value("[\"a\", \"b\"].index_of(\"b\")", 1),
        .value("[1, 2].index_of(\"foo\")", -1),
        .value("[1, 2, 3].find(|x| x > 1)", 2),
        .value("[1, 2, 3].find(|x| x > 5)", .unit),
        .value("[1, 2, 3].find(|x| x > 1, 2)", 3),
        .value("[1, 2, 3].find_map(|x| if x > 1 { x * 10 })", 20),
        .value("[1, 2, 3].find_map(|x| if x > 1 { x * 10 }, 2)", 30),
        // ref/arrays.md — dedup
        .value("let a = [1, 1, 2, 1]; a.dedup(); a", [1, 2, 1]),
        .value("let x = [1, 2, 2, 2, 3, 1, 2, 3, 4, 3, 3, 2, 1]; x.dedup(|a, b| a >= b); x", [1, 2, 3, 4]),
        .value("fn declining(a, b) { a >= b } let x = [1, 2, 2, 2, 3, 1, 2, 3, 4, 3, 3, 2, 1]; x.dedup(\"declining\"); x", [1, 2, 3, 4]),
        // ref/arrays.md — map, reduce, reduce_rev, some, all
        .value("[1, 2, 3].map(|x, i| x * i)", [0, 2, 6]),
        .value("[1, 2, 3].reduce(|s, x| s + x, 0)", 6),
        .value("[1, 2, 3].reduce(|s, x| (s ?? 0) + x)", 6),
        .value("[1, 2, 3].reduce_rev(|s, x| s + x, 10)", 16),
        .value("[1, 2, 3].reduce_rev(|s, x| s + x, \"\")", "321"),
        .value("[1, 2, 3].some(|x| x > 2)", true),
        .value("[1, 2, 3].all(|x| x > 2)", false),
        // ref/arrays.md — sort
        .value("let a = [3, 1, 2]; a.sort(); a", [1, 2, 3]),
        .value("let a = [3, 1, 2]; a.sort(|x, y| y - x); a", [3, 2, 1]),
        .value("let a = [\"b\", \"a\"]; a.sort(); a", ["a", "b"]),
        .value("let a = ['b', 'a']; a.sort(); a", [.char("a"), .char("b")]),
        .value("let a = [true, false]; a.sort(); a", [false, true]),
        .value("let a = [2.5, 1.5]; a.sort(); a", [1.5, 2.5]),
        .value("fn rev(x, y) { y - x } let a = [1, 3, 2]; a.sort(\"rev\"); a", [3, 2, 1]),
        // sort() wants one element type (sort_with_builtin): mixed types, even 1 and 1.5, are an error;
        // arrays of other types are left as they are
        .error("[1, \"a\"].sort()", .functionNotFound),
        .error("let a = [2, 1.5]; a.sort();", .functionNotFound),
        .value("let a = [[2], [1]]; a.sort(); a", [[2], [1]]),
        .value("let a = [\"b\"]; a.sort(); a", ["b"]),
        // ref/arrays.md — Examples
        .value("""
            let y = [2, 3];
            y.insert(0, 1);
            y.insert(999, 4);
            [y.len, y[0], y[1], y[2], y[3], 1 in y, 42 in y, y.contains(1)]
            """, [4, 1, 2, 3, 4, true, false, true]),
        .value("""
            let y = [1, 2, 3, 4];
            y[1] = 42;
            let r = [42 in y, y.remove(2)];
            r += [y.len, y[2]];
            r
            """, [true, 3, 3, 4]),
        .value("fn abc() { [42, 43, 44] } abc()[0]", 42),
        .value("""
            let y = [1, 42, 4];
            y.push(4);
            y += 5;
            let r = [y.len, y.shift()];
            y.chop(3);
            r += [y.len, y.pop(), y.len];
            r
            """, [5, 1, 3, 5, 2]),
        .prints("let y = [4, 4]; for item in y { print(item); }", ["4", "4"]),
        .value("""
            let y = [4, 4];
            y.pad(6, "hello");
            let r = [y.len];
            y.truncate(4);
            r += [y.len, y];
            y.clear();
            r += [y.len];
            r
            """, [6, 4, [4, 4, "hello", "hello"], 0]),
        .value("let a = [42, 123, 99]; a.map(|v| v + 1)", [43, 124, 100]),
        .value("let a = [42, 123, 99]; a.map(|| this + 1)", [43, 124, 100]),
        .value("let a = [42, 123, 99]; a.map(|v, i| v + i)", [42, 124, 101]),
        .value("let a = [42, 123, 99]; a.filter(|v| v > 50)", [123, 99]),
        .value("let a = [42, 123, 99]; a.filter(|| this > 50)", [123, 99]),
        .value("let a = [42, 123, 99]; a.filter(|v, i| i == 1)", [123]),
        .value("let a = [42, 123, 99]; a.filter(\"is_odd\")", [123, 99]),
        .value("let a = [42, 123, 99]; a.filter(Fn(\"is_odd\"))", [123, 99]),
        .value("let a = [42, 123, 99]; a.filter(|v| is_odd(v))", [123, 99]),
        .value("let a = [42, 123, 99]; a.some(|v| v > 50)", true),
        .value("let a = [42, 123, 99]; a.some(|| this > 50)", true),
        .value("let a = [42, 123, 99]; a.some(|v, i| v < i)", false),
        .value("let a = [42, 123, 99]; a.all(|v| v > 50)", false),
        .value("let a = [42, 123, 99]; a.all(|| this > 50)", false),
        .value("let a = [42, 123, 99]; a.all(|v, i| v > i)", true),
        .value("let a = [42, 123, 99]; a.reduce(|sum| sum + this, 0)", 264),
        .value("let a = [42, 123, 99]; a.reduce(|sum, v| sum + v, 0)", 264),
        .value("let a = [42, 123, 99]; a.reduce(|sum, v| if sum.type_of() == \"()\" { v } else { sum + v })", 264),
        .value("let a = [42, 123, 99]; a.reduce(|sum, v, i| if i == 0 { v } else { sum + v })", 264),
        .value("let a = [42, 123, 99]; a.reduce_rev(|sum| sum + this, 0)", 264),
        .value("let a = [42, 123, 99]; a.reduce_rev(|sum, v| sum + v, 0)", 264),
        .value("let a = [42, 123, 99]; a.reduce_rev(|sum, v| if sum.type_of() == \"()\" { v } else { sum + v })", 264),
        .value("let a = [42, 123, 99]; a.reduce_rev(|sum, v, i| if i == 2 { v } else { sum + v })", 264),
        .value("""
            let a = [42, 123, 99];
            a.splice(1, 1, [1, 3, 2]);
            let r = [a, a.extract(1, 3)];
            a.sort(|x, y| y - x);
            r.push(a);
            a.sort();
            r.push(a);
            r
            """, [[42, 1, 3, 2, 99], [1, 3, 2], [99, 42, 3, 2, 1], [1, 2, 3, 42, 99]]),
        .value("""
            let a = [42, 123, 99];
            a.splice(1..=1, [1, 3, 2]);
            [a, a.extract(1..=3)]
            """, [[42, 1, 3, 2, 99], [1, 3, 2]]),
        .value("""
            let a = [1, 2, 3, 42, 99];
            let r = [];
            a.drain(|v| v <= 1);
            r.push(a);
            a.drain(|v, i| i >= 3);
            r.push(a);
            a.retain(|v| v > 10);
            r.push(a);
            a.retain(|v, i| i > 0);
            r.push(a);
            r
            """, [[2, 3, 42, 99], [2, 3, 42], [42], []]),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
