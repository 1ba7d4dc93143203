import Rhai
import Testing

/// Rhai Book — Dynamic Value Tag (language/dynamic-tag.md, ref/dynamic-tag.md).
@Suite struct BookDynamicTagTests {
    static let cases: [BookCase] = [
        // language/dynamic-tag.md
        .value("let x = 42; x.tag", 0),
        .value("let x = 42; x.tag()", 0),
        .value("tag(\"any value\")", 0),
        .value("let x = 42; x.tag = 123; x.tag", 123, gap: .dynamicTags),
        .value("let x = 42; set_tag(x, 123); x.tag", 123, gap: .dynamicTags),
        .value("let x = 42; x.tag = 123; x.tag() == 123 && tag(x) == 123", true, gap: .dynamicTags),
        .value("let x = 42; x.tag[3..5] = 2; x.tag[3..5]", 2, gap: .dynamicTags),
        .value("let x = 42; x.tag = 123; let y = x; y.tag", 123, gap: .dynamicTags),
        .value("let x = [0, 1, 2, 3, 42, 99, 123]; let filtered = x.map(|v, i| { v.tag = i; v }).filter(|v| v.is_odd()); filtered.map(|v| v.tag)",
               [1, 3, 5, 6], gap: .dynamicTags),
    ]

    @Test(arguments: cases) func example(_ c: BookCase) async { await c.check() }
}
