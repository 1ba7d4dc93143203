import Rhai
import Testing

/// Rhai Book — Multi-Line Literal Strings and String Interpolation (language/string-interp.md,
/// language/strings-chars.md).
@Suite struct BookStringInterpolationTests {
    static let cases: [BookCase] = [
        // language/string-interp.md — Multi-Line Literal Strings: taken verbatim, no escapes
        .value("let x = `hello, world! \"\\t\\x42\"\n  hello world again! 'x'\n     this is the last time!!! `; x",
               "hello, world! \"\\t\\x42\"\n  hello world again! 'x'\n     this is the last time!!! "),
        // language/string-interp.md — a back-tick at the end of a line: the text starts on the next line
        .value("let x = `\n        hello, world! \"\\t\\x42\"\n  hello world again! 'x'\n     this is the last time!!!\n`; x",
               "        hello, world! \"\\t\\x42\"\n  hello world again! 'x'\n     this is the last time!!!\n"),
        // language/string-interp.md — two back-ticks stand for one
        .value("let x = `I have a quote \" as well as a back-tick `` here.`; x", "I have a quote \" as well as a back-tick ` here."),
        .value("`a``b`", "a`b"),
        .value("``", ""),
        .value("type_of(`x`)", "string"),
        .error("let x = `no end", .parsing),
        // ref/strings-chars.md — String Interpolation
        .value("let x = 42; let y = 123; let s = `x = ${x} and y = ${y}.`; s", "x = 42 and y = 123."),
        .value("let x = 42; let y = 123; let s = (\"x = \" + {x} + \" and y = \" + {y} + \".\"); s", "x = 42 and y = 123."),
        .value("""
            let x = 42;
            let y = 123;
            let s = `
            Undeniable logic:
            1) Hello, ${let w = `${x} world`; if x > 1 { w += "s" } w}!
            2) If ${y} > ${x} then it is ${y > x}!
            `;
            s
            """, "Undeniable logic:\n1) Hello, 42 worlds!\n2) If 123 > 42 then it is true!\n"),
        .value("let x = 5; `x = ${x + 1}!`", "x = 6!"),
        .value("`a${`b${1}`}c`", "ab1c"),
        .value("`$x ${()}`", "$x "),
        .value("`a${ \"}\" }b`", "a}b"),
        .value("`${#{a: 1}.a}`", "1"),
        .value("`${[1, 2]}`", "[1, 2]"),
        .value("`${1.0}`", "1.0"),
        .value("`${'c'}${true}`", "ctrue"),
        .value("let f = |x| x * 2; `${f.call(21)}`", "42"),
        // language/string-interp.md — interpolation is not supported in normal strings
        .value("let x = 1; \"${x}\"", "${x}"),
        // language/string-interp.md — a BLOB is interpolated as UTF-8 text
        .prints("let blob = blob(3, 0x21); print(blob);", ["[212121]"]),
        .prints("let blob = blob(3, 0x21); print(`Data: ${blob}`);", ["Data: !!!"]),
        .prints("let blob = blob(3, 0x21); print(`Data: ${blob.to_string()}`);", ["Data: [212121]"]),
        // language/string-interp.md — `\${` is a literal `${` (Rhai 1.26); any other back-slash is kept
        .value("let x = 1; `a\\${x}b ${x}`", "a${x}b 1"),
        .value("`\\n\\$`", "\\n\\$"),
        // language/string-interp.md — building the string in pieces
        .value("`Interpolations start with \"` + \"${\" + `\" and end with }.`", "Interpolations start with \"${\" and end with }."),
        .error("`${1 +}`", .parsing),
        .error("`${`", .parsing),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
