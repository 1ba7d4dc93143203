import Rhai
import Testing

/// Rhai Book — Strings and Characters (language/strings-chars.md, ref/strings-chars.md): literals,
/// escape sequences, line continuation, indexing and iteration.
@Suite struct BookStringsTests {
    static let cases: [BookCase] = [
        // ref/strings-chars.md — String and Character Literals
        .value("\"hello\"", "hello"),
        .value("'x'", .char("x")),
        .value("type_of(\"hello\")", "string"),
        .value("type_of('x')", "char"),
        .error("\"abc", .parsing, line: 1, column: 1),
        .error("''", .parsing),
        .error("'ab'", .parsing),
        // ref/strings-chars.md — Standard Escape Sequences
        .value("\"a\\tb\"", "a\tb"),
        .value("\"\\\\\"", "\\"),
        .value("\"a\\rb\"", "a\rb"),
        .value("\"a\\nb\"", "a\nb"),
        .value("\"say \\\"hi\\\"\"", "say \"hi\""),
        // only the literal's own quote escapes (src/tokenizer.rs parse_string_literal): `\'` is
        // malformed in a string, `\"` in a character; `\0` is no escape at all
        .error("\"it\\'s\"", .parsing),
        .error("'\\\"'", .parsing),
        .error("\"a\\0\"", .parsing),
        .error("'\\0'", .parsing),
        .value("'\"'", .char("\"")),
        .value("\"it's\"", "it's"),
        .value("'\\''", .char("'")),
        .value("\"\\x41\"", "A"),
        .value("'\\x41'", .char("A")),
        .value("\"\\u2764\"", "❤"),
        .value("'\\u2764'", .char("❤")),
        .value("\"\\U0001F603\"", "😃"),
        .value("'\\U0001F603'", .char("😃")),
        .value("\"this is the \"\"last\"\" time\"", "this is the \"last\" time"),
        .error("\"\\q\"", .parsing),
        .error("\"\\x4\"", .parsing),
        // ref/strings-chars.md — Line Continuation
        .value("""
            let x = "hello, world!\\
                     hello world again! \\
                     this is the last time!!!";
            x
            """, "hello, world!hello world again! this is the last time!!!"),
        .value("""
            let x = "hello, world!\\n\\
                     hello world again!\\n\\
                     this is the last time!!!";
            x
            """, "hello, world!\nhello world again!\nthis is the last time!!!"),
        .error("let x = \"no\nnew-lines\";", .parsing),
        // ref/strings-chars.md — Indexing: from the beginning and from the end
        .value("\"hello\"[1]", .char("e")),
        .value("\"hello\"[-1]", .char("o")),
        .value("\"héllo\"[1]", .char("é")),
        .value("let c = \"foo\"[0]; c", .char("f")),
        .value("let c = (\"foo\" + \"bar\")[5]; c", .char("r")),
        .error("\"abc\"[10]", .stringBounds, line: 1, column: 6),
        .error("\"abc\"[-4]", .stringBounds),
        .error("let s = \"abc\"; s[\"a\"]", .mismatchDataType),
        .error("let s = \"abc\"; s[true] = 'x';", .mismatchDataType),
        // a string literal indexed by a literal that is no integer fails to parse (parse_index_chain)
        .error("\"abc\"[\"a\"]", .parsing),
        // ref/strings-chars.md — Indexing by a range: a slice of characters, readable and assignable
        .value("let s = \"hello\"; s[1..3]", "el"),
        .value("let s = \"hello\"; s[1..=2]", "el"),
        .value("let s = \"hello\"; s[..]", "hello"),
        .value("let s = \"héllo\"; s[..2] + \"|\" + s[3..]", "hé|lo"),
        .value("let s = \"hello\"; s[1..3] = \"ABC\"; s", "hABClo"),
        .value("let s = \"hello\"; s[1..=2] = \"\"; s", "hlo"),
        .value("let s = \"hello\"; s[..] = \"x\"; s", "x"),
        .value("let s = \"héllo\"; s[1..2] = 'e'; s", "hello"),
        .error("let s = \"hello\"; s[1..2] = 5;", .mismatchDataType),
        // negative ends count from the end; what lies past the end is left out
        .value("\"hello\"[-3..]", "llo"),
        .value("\"hello\"[..=-2]", "hell"),
        .value("\"hello\"[-2..-1]", "l"),
        .value("\"hello\"[0..=-1]", "hello"),
        .value("\"hello\"[3..10]", "lo"),
        .value("\"hello\"[10..]", ""),
        .value("\"hello\"[3..1]", ""),
        .value("let s = \"hello\"; s[-3..] = \"X\"; s", "heX"),
        // Rhai takes no character from an inclusive range whose end equals its start (but the whole
        // string when that covers it from 0)
        .value("\"hello\"[1..=1]", ""),
        .value("\"a\"[0..=0]", "a"),
        // ref/strings-chars.md — Raw strings: `#"…"#` with any number of `#`, no escapes, new-lines kept
        .value("#\"say \"hi\"\"#", "say \"hi\""),
        .value("#\"a\\tb\"#", "a\\tb"),
        .value("##\"a \"# b\"##", "a \"# b"),
        .value("#\"line 1\nline 2\"#", "line 1\nline 2"),
        .value("#\"\"#", ""),
        .value("let m = #{ a: #\"x\"# }; m.a", "x"),
        .error("#\"abc", .parsing),
        .error("##\"abc\"#", .parsing),
        // ref/strings-chars.md — Examples
        .value("""
            let name = "Bob";
            let middle_initial = 'C';
            let last = "Davis";
            let full_name = `${name} ${middle_initial}. ${last}`;
            full_name
            """, "Bob C. Davis"),
        .value("let full_name = \"Bob C. Davis\"; let age = 42; let record = `${full_name}: age ${age}`; record", "Bob C. Davis: age 42"),
        .value("let record = \"Bob C. Davis: age 42\"; record[4]", .char("C")),
        .value("let record = \"Bob C. Davis: age 42\"; record[-4]", .char("e")),
        .value("let record = \"Bob C. Davis: age 42\"; record += \" \\u2764\\n\"; record", "Bob C. Davis: age 42 ❤\n"),
        .value("let record = \"Bob C. Davis: age 42 ❤\\n\"; record[4] = '\\x58'; record", "Bob X. Davis: age 42 ❤\n"),
        .value("let s = \"hello\"; s[0] = 'j'; s", "jello"),
        .value("let s = \"hello\"; s[-1] = 'p'; s", "hellp"),
        .error("let s = \"hello\"; s[0] = \"j\";", .mismatchDataType),
        .value("let record = \"Bob X. Davis\"; \"Davis\" in record", true),
        .value("let record = \"Bob X. Davis\"; 'X' in record", true),
        .value("let record = \"Bob X. Davis\"; 'C' in record", false),
        // ref/strings-chars.md — Strings can be iterated with a `for` statement, yielding characters
        .prints("for ch in \"héy\" { print(ch); }", ["h", "é", "y"]),
        .value("let s = \"\"; for c in \"abc\" { s = c + s; } s", "cba"),
        .value("let n = 0; for c in \"héllo\" { n += 1; } n", 5),
        // characters are Unicode scalars
        .value("\"héllo\".len()", 5),
        .value("'❤'.to_string()", "❤"),
        .value("'a' + 'b'", "ab"),
        .value("type_of('a' + 'b')", "string"),
        // slices past either end are clamped; a reversed slice is empty
        .value("let s = \"world\"; s[1..50]", "orld"),
        .value("let s = \"world\"; s[3..-50]", ""),
        .value("let s = \"world\"; s[1..=-2]", "orl"),
        .value("let s = \"world\"; s[..=]", "world"),
        // assigning to a slice replaces it with a string of any length
        .value("let s = \"world\"; s[1..4] = \"\"; s", "wd"),
        .value("let s = \"world\"; s[..] = \"hi\"; s", "hi"),
        .value("let s = \"world\"; s[0..1] = \"W\\u2764\"; s", "W❤orld"),
        // as in Rhai, an inclusive range whose end is its start selects nothing (so assigning inserts)
        .value("\"world\"[1..=1]", ""),
        .value("let s = \"world\"; s[0..=0] = \"W\"; s", "Wworld"),
        .value("let s = \"ab\"; s[1] = '\\u2764'; s", "a❤"),
        // `-=` removes every occurrence of a character or a string
        .value("let s = \"banana\"; s -= 'a'; s", "bnn"),
        .value("let s = \"banana\"; s -= \"an\"; s", "ba"),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
