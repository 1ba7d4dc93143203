import Rhai
import Testing

/// Rhai Book — Standard String Functions (language/string-fn.md, ref/string-fn.md): methods,
/// building strings with `+`, and the operators between strings, characters and BLOBs.
@Suite struct BookStringFunctionsTests {
    static let cases: [BookCase] = [
        // ref/string-fn.md — len, bytes, is_empty (methods and properties)
        .value("\"hello\".len", 5),
        .value("\"hello\".len()", 5),
        .value("\"héllo\".len()", 5),
        .value("\"héllo\".bytes", 6),
        .value("\"héllo\".bytes()", 6),
        .value("\"\".is_empty()", true),
        .value("\"x\".is_empty", false),
        // ref/string-fn.md — to_blob, to_chars
        .value("\"abc\".to_blob().len()", 3),
        .value("\"é\".to_blob().to_array()", [0xc3, 0xa9]),
        .value("\"abc\".to_chars()", [.char("a"), .char("b"), .char("c")]),
        .value("\"abc\".chars()", [.char("a"), .char("b"), .char("c")]),
        // ref/string-fn.md — get, set
        .value("\"hello\".get(1)", .char("e")),
        .value("\"hello\".get(-1)", .char("o")),
        .value("\"hello\".get(10)", .unit),
        .value("let s = \"abc\"; s.set(0, 'x'); s", "xbc"),
        .value("let s = \"abc\"; s.set(-1, 'x'); s", "abx"),
        .value("let s = \"abc\"; s.set(9, 'x'); s", "abc"),
        // ref/string-fn.md — pad
        .value("let s = \"abc\"; s.pad(5, '*'); s", "abc**"),
        .value("let s = \"abc\"; s.pad(7, \"xy\"); s", "abcxyxy"),
        .value("let s = \"abcdef\"; s.pad(3, '*'); s", "abcdef"),
        // ref/string-fn.md — append, +=
        .value("let s = \"a\"; s.append(1); s", "a1"),
        .value("let s = \"a\"; s.append(\"bc\"); s", "abc"),
        .value("let s = \"a\"; s += 'b'; s", "ab"),
        .value("let s = \"a\"; s += [1]; s", "a[1]"),
        // ref/string-fn.md — remove, pop, clear, truncate
        .value("let s = \"hello\"; s.remove('l'); s", "heo"),
        .value("let s = \"hello\"; s.remove(\"ll\"); s", "heo"),
        .value("let s = \"hello\"; s.pop()", .char("o")),
        .value("let s = \"hello\"; s.pop(); s", "hell"),
        .value("let s = \"hello\"; s.pop(2)", "lo"),
        .value("let s = \"hello\"; s.pop(9)", "hello"),
        .value("let s = \"\"; s.pop()", .unit),
        .value("let s = \"abc\"; s.clear(); s", ""),
        .value("let s = \"hello\"; s.truncate(2); s", "he"),
        .value("let s = \"hello\"; s.truncate(10); s", "hello"),
        // ref/string-fn.md — to_upper, to_lower, make_upper, make_lower
        .value("\"Hello\".to_upper()", "HELLO"),
        .value("\"Hello\".to_lower()", "hello"),
        .value("'a'.to_upper()", .char("A")),
        .value("'A'.to_lower()", .char("a")),
        .value("let s = \"ab\"; s.make_upper(); s", "AB"),
        .value("let s = \"AB\"; s.make_lower(); s", "ab"),
        .value("let c = 'a'; c.make_upper(); c", .char("A")),
        .value("let c = 'A'; c.make_lower(); c", .char("a")),
        // ref/string-fn.md — trim
        .value("let s = \"  x  \"; s.trim(); s", "x"),
        .value("let s = \"\\t x \\n\"; s.trim(); s", "x"),
        // ref/string-fn.md — contains, starts_with, ends_with
        .value("\"hello\".contains(\"ell\")", true),
        .value("\"hello\".contains('z')", false),
        .value("\"hello\".starts_with(\"he\")", true),
        .value("\"hello\".ends_with(\"lo\")", true),
        .value("\"hello\".ends_with(\"he\")", false),
        // a character works too (Rhai 1.23.6+); the test is bytewise, so a combining mark does not hide a prefix
        .value("\"hello\".starts_with('h')", true),
        .value("\"hello\".ends_with('o')", true),
        .value("\"hello\".ends_with('h')", false),
        .value("\"e\\u0301\".starts_with(\"e\")", true),
        // ref/string-fn.md — index_of
        .value("\"hello\".index_of('l')", 2),
        .value("\"hello\".index_of(\"l\", 3)", 3),
        .value("\"hello\".index_of(\"x\")", -1),
        .value("\"hello\".index_of('o', -2)", 4),
        .value("\"hello\".index_of('h', 99)", -1),
        // ref/string-fn.md — sub_string
        .value("\"hello\".sub_string(1, 3)", "ell"),
        .value("\"hello\".sub_string(2)", "llo"),
        .value("\"hello\".sub_string(-3, 2)", "ll"),
        .value("\"hello\".sub_string(1..3)", "el"),
        .value("\"hello\".sub_string(1..=3)", "ell"),
        .value("\"hello\".sub_string(1, 0)", ""),
        .value("\"hello\".sub_string(3, 99)", "lo"),
        .error("\"abc\".sub_string(\"x\")", .functionNotFound),
        // ref/string-fn.md — split, split_rev
        .value("\"a b  c\".split()", ["a", "b", "c"]),
        .value("\"hello\".split(2)", ["he", "llo"]),
        .value("\"hello\".split(-1)", ["hell", "o"]),
        .value("\"a,b,,c\".split(\",\")", ["a", "b", "", "c"]),
        .value("\"a,b,c\".split(',')", ["a", "b", "c"]),
        .value("\"a,b,c\".split(\",\", 2)", ["a", "b,c"]),
        .value("\"a,b,c\".split(',', 0)", ["a,b,c"]),
        .value("\"a,b,c\".split_rev(\",\")", ["c", "b", "a"]),
        .value("\"a,b,c\".split_rev(',', 2)", ["c", "a,b"]),
        // ref/string-fn.md — crop
        .value("let s = \"hello\"; s.crop(1, 3); s", "ell"),
        .value("let s = \"hello\"; s.crop(2); s", "llo"),
        .value("let s = \"hello\"; s.crop(-2); s", "lo"),
        .value("let s = \"hello\"; s.crop(1..3); s", "el"),
        .value("let s = \"hello\"; s.crop(1..=3); s", "ell"),
        // ref/string-fn.md — replace
        .value("let s = \"a-b-c\"; s.replace(\"-\", \"+\"); s", "a+b+c"),
        .value("let s = \"a-b-c\"; s.replace('-', '+'); s", "a+b+c"),
        .value("let s = \"a-b\"; s.replace('-', \" and \"); s", "a and b"),
        .value("let s = \"a--b\"; s.replace(\"--\", '='); s", "a=b"),
        // ref/string-fn.md — chars
        .value("let a = []; for c in \"hello, world!\".chars(2, 5) { a.push(c); } a.len()", 5),
        .value("let s = \"hello\"; let a = \"\"; for c in s.chars(2..s.len) { a += c; } a", "llo"),
        .value("let a = \"\"; for c in \"hello\".chars(-2) { a += c; } a", "lo"),
        // ref/string-fn.md — Examples
        .value("""
            let full_name = " Bob C. Davis ";
            let r = [full_name.len];
            full_name.trim();
            r.push(full_name.len);
            r.push(full_name);
            full_name.pad(15, '$');
            r.push(full_name.len);
            r.push(full_name);
            let n = full_name.index_of('$');
            r.push(n);
            r.push(full_name.index_of("$$", n + 1));
            r.push(full_name.sub_string(n, 3));
            r.push(full_name.sub_string(n..n+3));
            r
            """, [14, 12, "Bob C. Davis", 15, "Bob C. Davis$$$", 12, 13, "$$$", "$$$"]),
        .value("""
            let full_name = "Bob C. Davis$$$";
            let r = [];
            full_name.truncate(6);
            r.push(full_name.len);
            r.push(full_name);
            full_name.replace("Bob", "John");
            r.push(full_name.len);
            r.push(full_name);
            r.push(full_name.contains('C'));
            r.push(full_name.contains("John"));
            full_name.crop(5);
            r.push(full_name);
            full_name.crop(0, 1);
            r.push(full_name);
            full_name.clear();
            r.push(full_name.len);
            r
            """, [6, "Bob C.", 7, "John C.", true, true, "C.", "C", 0]),
        // ref/string-fn.md — Building Strings
        .value("let x = 42; let s = \"The answer is: \" + x + \"!!!\"; s", "The answer is: 42!!!"),
        .prints("let x = 42; print(\"The answer is: \" + x + \"!!!\");", ["The answer is: 42!!!"]),
        .value("\"abc\" + 1", "abc1"),
        .value("1 + \"abc\"", "1abc"),
        .value("\"x\" + ()", "x"),
        .value("\"x\" + 1.5 + true", "x1.5true"),
        .value("\"a\" + [1, 2]", "a[1, 2]"),
        // ref/string-fn.md — Standard Operators Between Strings and/or Characters
        .value("'a' + 'b'", "ab"),
        .value("\"a\" + 'b'", "ab"),
        .value("'a' + \"b\"", "ab"),
        .value("\"hello\" - 'l'", "heo"),
        .value("\"hello\" - \"ll\"", "heo"),
        .value("let s = \"hello\"; s -= 'l'; s", "heo"),
        .value("let s = \"hello\"; s -= \"he\"; s", "llo"),
        .value("\"a\" == 'a'", true),
        .value("\"b\" > 'a'", true),
        .value("'a' <= \"a\"", true),
        // ref/string-fn.md — Interop with BLOBs: appended as UTF-8 text
        .value("\"x\" + \"é!\".to_blob()", "xé!"),
        .value("let s = \"x\"; s += blob(2, 0x41); s", "xAA"),
        .value("let s = \"x\"; s.append(blob(1, 0x42)); s", "xB"),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
