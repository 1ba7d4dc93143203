import Foundation
import Rhai
import Testing

/// Rhai Book — Built-in Packages (rust/packages/builtin.md): the standard library's own documented
/// examples (the doc comments of Tests/RhaiScripts/all_in_one.d.rhai) print what they say they print.
@Suite struct BookStandardLibraryExamplesTests {
    static let examples = StandardLibraryExample.load(BookStandardLibraryTests.file)

    /// Examples whose text is wrong in Rhai's own documentation (what Rhai itself prints differs too),
    /// or that need what a default engine here does not have; the behaviour is checked elsewhere.
    static let excluded: [String: String] = [
        "fn eval(script: String) -> ?;": "eval is denied (BookEvalTests)",
        "fn parse_decimal(string: String) -> Decimal;": "Decimal needs Rhai's decimal feature",
        "op +(Array, Array) -> Array;": "prints \"[1, 2, 3\" for [1, 2, 3] (typo)",
        "op +(Map, Map) -> Map;": "maps shown schematically (#{a:42, ...}); Rhai prints #{\"a\": 42, ...}",
        "op +=(Map, Map) -> ();": "maps shown schematically",
        "fn mixin(map: Map, map2: Map) -> ();": "maps shown schematically",
        "fn fill_with(map: Map, map2: Map) -> ();": "maps shown schematically",
        "fn remove(map: Map, property: String) -> ?;": "maps shown schematically",
        "fn to_json(map: Map) -> String;": "JSON shown with spaces Rhai does not print",
        "fn all(array: Array, filter: String) -> bool;": "says [1, 2, 3, 4, 1, …].all(|v| v > 1) is true",
        "fn all(array: Array, filter: FnPtr) -> bool;": "says [1, 2, 3, 4, 1, …].all(|v| v > 1) is true",
        "fn append(array: Array, new_array: Array) -> ();": "calls push (which adds the array as one element)",
        "fn append(blob1: Blob, blob2: Blob) -> ();": "calls push, which takes a byte",
        "fn as_string(blob: Blob) -> String;": "says bytes 0x42 are \"FFFFF\" (they are \"BBBBB\")",
        "fn drain(blob: Blob, start: int, len: int) -> Blob;": "prints an undefined variable z",
        "fn extract(blob: Blob, start: int, len: int) -> Blob;": "prints [020303] for bytes 2, 3, 4 (typo)",
        "fn filter(array: Array, filter: FnPtr) -> Array;": "prints [12, 20], the products, for the kept items [4, 5]",
        "fn filter(array: Array, filter_func: String) -> Array;": "prints [12, 20], the products, for the kept items [4, 5]",
        "fn index_of(string: String, find_string: String) -> int;": "unterminated string literal (\"xx:)",
        "fn index_of(array: Array, filter: FnPtr, start: int) -> int;": "says the first item > 1 from index 3 is at 5 (x[3] == 4)",
        "fn index_of(array: Array, filter: String, start: int) -> int;": "says the first item > 1 from index 3 is at 5 (x[3] == 4)",
        "fn insert(array: Array, index: int, item: ?) -> ();": "shows -2 inserting after the second-to-last item",
        "fn insert(blob: Blob, index: int, value: int) -> ();": "prints five bytes after inserting into five",
        "fn make_lower(string: String) -> ();": "missing `;` after a statement",
        "fn make_upper(string: String) -> ();": "missing `;` after a statement",
        "fn to_lower(string: String) -> String;": "missing `;` after a statement",
        "fn to_upper(string: String) -> String;": "missing `;` after a statement",
        "fn pad(blob: Blob, len: int, value: int) -> ();": "missing `;` after a statement",
        "fn pad(string: String, len: int, padding: String) -> ();": "'***' is not a character literal",
        "fn parse_be_int(blob: Blob, range: Range<int>) -> int;": "hex shown schematically (02030000...00)",
        "fn parse_be_int(blob: Blob, range: RangeInclusive<int>) -> int;": "hex shown schematically",
        "fn parse_be_int(blob: Blob, start: int, len: int) -> int;": "hex shown schematically",
        "fn parse_le_int(blob: Blob, range: Range<int>) -> int;": "to_hex shown with a leading zero",
        "fn parse_le_int(blob: Blob, range: RangeInclusive<int>) -> int;": "to_hex shown with a leading zero",
        "fn parse_le_int(blob: Blob, start: int, len: int) -> int;": "to_hex shown with a leading zero",
        "fn parse_float(string: String) -> float;": "calls parse_int on \"123.456\"",
        "fn remove(blob: Blob, index: int) -> int;": "uses an undefined variable x",
        "fn retain(array: Array, range: Range<int>) -> Array;": "says retain(1..3) of [2, 3, 4] removes [1]",
        "fn retain(array: Array, range: RangeInclusive<int>) -> Array;": "says retain(1..=2) of [2, 3, 4] removes [1]",
        "fn retain(blob: Blob, range: Range<int>) -> Blob;": "prints b2 where it means b3",
        "fn retain(blob: Blob, range: RangeInclusive<int>) -> Blob;": "prints b2 where it means b3",
        "fn set(map: Map, property: String, value: ?) -> ();": "a stray quote after a statement",
        "fn set(string: String, index: int, character: char) -> ();": "forgets its own first change",
        "fn split_rev(string: String, delimiter: char, segments: int) -> Array;": "calls split, not split_rev",
        "fn truncate(string: String, len: int) -> ();": "uses an undefined variable x",
        "fn values(map: Map) -> Array;": "a stray quote in the expected text",
        "fn write_be(blob: Blob, range: Range<int>, value: int) -> ();": "calls write_be_int, which does not exist",
        "fn write_be(blob: Blob, range: RangeInclusive<int>, value: int) -> ();": "calls write_be_int",
        "fn write_be(blob: Blob, start: int, len: int, value: int) -> ();": "calls write_be_int",
        "fn write_le(blob: Blob, range: Range<int>, value: int) -> ();": "calls write_le_int, which does not exist",
        "fn write_le(blob: Blob, range: RangeInclusive<int>, value: int) -> ();": "calls write_le_int",
        "fn write_le(blob: Blob, start: int, len: int, value: int) -> ();": "calls write_le_int",
    ]

    /// Examples that show a gap (see GAPS.md).
    static let gaps: [String: BookGap] = [:]

    static let checked = examples.filter { excluded[$0.signature] == nil }

    @Test func theExamplesAreRead() {
        #expect(Self.examples.count > 150)
        #expect(Self.checked.count > 140)
        let signatures = Set(Self.examples.map(\.signature))
        for text in Self.excluded.keys { #expect(signatures.contains(text), "no example for \(text)") }
    }

    @Test(arguments: checked)
    func examplePrintsWhatItSays(_ example: StandardLibraryExample) async {
        let outcome = await BookRunner.run(example.script)
        guard let gap = Self.gaps[example.signature] else {
            verify(example, outcome)
            return
        }
        withKnownIssue(Comment(rawValue: "\(gap): \(gap.rawValue)")) { verify(example, outcome) } matching: { gap.matches($0) }
    }

    /// The excluded examples run too: none prints what its text says (else the reason no longer holds
    /// and the example belongs with the checked ones).
    @Test(arguments: examples.filter { excluded[$0.signature] != nil })
    func anExcludedExampleStillDiffersFromItsText(_ example: StandardLibraryExample) async {
        let outcome = await BookRunner.run(example.script)
        if case .success(let run) = outcome {
            #expect(run.lines != example.expected,
                    "prints what its text says; remove it from `excluded` (\(Self.excluded[example.signature] ?? ""))")
        }
    }

    private func verify(_ example: StandardLibraryExample, _ outcome: Result<(value: Dynamic, lines: [String]), RhaiError>) {
        switch outcome {
        case .success(let run): #expect(run.lines == example.expected, "\(example.script)\n→ \(run.lines)")
        case .failure(let error): Issue.record("\(example.script)\n→ \(error)")
        }
    }
}
