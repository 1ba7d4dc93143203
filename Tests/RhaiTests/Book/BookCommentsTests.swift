import Rhai
import Testing

/// Rhai Book — Comments (language/comments.md) and Doc-Comments (language/doc-comments.md; without the
/// `metadata` feature they are ordinary comments).
@Suite struct BookCommentsTests {
    static let cases: [BookCase] = [
        // language/comments.md
        .value("let /* intruder comment */ name = \"Bob\"; name", "Bob"),
        .value("// This is a very important one-line comment\n1", 1),
        .value("/* This comment spans\n   multiple lines, so it\n   only makes sense that\n   it is even more important */ 2", 2),
        .value("/* Fear not, Rhai satisfies all nesting needs with nested comments:\n   /*/*/*/*/**/*/*/*/*/\n*/ 3", 3),
        .value("/* a /* nested */ comment */ 1 // trailing", 1),
        .value("1 // no new-line at the end", 1),
        .value("let x = 1; // x\nx + /* inline */ 1", 2),
        .value("\"// not a comment\"", "// not a comment"),
        .value("\"/* not a comment */\"", "/* not a comment */"),
        .error("/* unterminated", .parsing),
        .error("/* /* nested but unterminated */", .parsing),
        // language/doc-comments.md — doc-comments
        .value("/// This is a valid one-line doc-comment\nfn foo() { 1 } foo()", 1),
        .value("/** This is a\n ** valid block\n ** doc-comment\n **/\nfn bar(x) { x + 1 } bar(1)", 2),
        .value("/////////////////\n// not a doc-comment //\n/////////////////\n4", 4),
        .value("/****\n * also not a doc-comment\n ****/\n5", 5),
        .value("/// a doc-comment elsewhere is a comment without `metadata`\nlet x = 42; x", 42),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
