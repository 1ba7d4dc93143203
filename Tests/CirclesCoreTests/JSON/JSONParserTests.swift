import Testing
import Rhai
@testable import CirclesCore

@Suite struct JSONParserTests {
    @Test(arguments: [
        ("null", JSON.null), ("true", .bool(true)), ("false", .bool(false)),
        ("0", .int(0)), ("-0", .int(0)), ("42", .int(42)), ("-17", .int(-17)),
        ("9223372036854775807", .int(Int64.max)), ("-9223372036854775808", .int(Int64.min)),
        ("9223372036854775808", .double(9223372036854775808)), ("1.5", .double(1.5)), ("-2e3", .double(-2000)),
        ("1E-2", .double(0.01)), ("\"\"", .string("")), ("\"a\\\"b\\\\c\\/d\"", .string("a\"b\\c/d")),
        ("\"\\b\\f\\n\\r\\t\"", .string("\u{8}\u{c}\n\r\t")), ("\"\\u00e9\\u4e2d\"", .string("é中")),
        ("\"\\ud83d\\ude00\"", .string("😀")), ("\"héllo ✓\"", .string("héllo ✓")),
        ("[]", .array([])), ("{}", .object([:])), (" [1, [2, {\"a\": null}]] ", [1, [2, ["a": nil]]]),
    ] as [(String, JSON)])
    func parsesValid(text: String, expected: JSON) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test(arguments: [
        "", " ", "nul", "tru", "01", "-", "1.", ".5", "1e", "+1", "[1,]", "[1 2]", "{\"a\"}", "{\"a\":1,}", "{a:1}",
        "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\u{1}b\"", "[1]]", "{} {}", "NaN", "Infinity",
        "'a'", "[\"a\",]", "1e999", "-1e999", "[111111111111111111111112111119e11111111111111111126]",
    ])
    func rejectsInvalid(text: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func errorsCarryTheOffset() {
        #expect(throws: JSONError("expected ',' or ']'", offset: 3)) { try JSONParser.parse("[1 2]") }
    }

    @Test func depthLimitStopsHostileNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try JSONParser.parse(fine).arrayValue?.count == 1)
    }

    /// The node saves what scripts write with Rhai's bounded JSON writer and loads it with this parser:
    /// both stop at the same depth, so nothing can be saved that cannot be loaded again.
    @Test func depthLimitMatchesTheScriptWriters() throws {
        #expect(JSONParser.defaultMaxDepth == Dynamic.maxJSONDepth)
        func nested(_ n: Int) -> Dynamic { (0..<n - 1).reduce(Dynamic.array([])) { v, _ in .array([v]) } }
        let deepest = try nested(JSONParser.defaultMaxDepth).jsonText(limit: 1 << 20)
        #expect(try JSONParser.parse(deepest).serialized == deepest)
        #expect(throws: RhaiError.self) { try nested(JSONParser.defaultMaxDepth + 1).jsonText(limit: 1 << 20) }
        #expect(throws: JSONError.self) { try JSONParser.parse("[" + deepest + "]") }
    }

    @Test func duplicateKeysKeepTheLastValueInFirstPosition() throws {
        let json = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(json.objectValue?.keys == ["a", "b"])
        #expect(json["a"] == .int(3))
    }
}
