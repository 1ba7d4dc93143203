import Rhai
import Testing

/// Random token soup (every script either runs or fails with a RhaiError at a position) and boundary
/// values (each gives its own value or error).
@Suite struct RobustnessTests {
    static let tokens = [
        "let", "x", "y", "=", "+", "-", "*", "/", "%", "**", "(", ")", "[", "]", "{", "}", "#{", ":", ",", ";", ".",
        "?.", "??", "..", "..=", "if", "else", "while", "loop", "for", "in", "break", "continue", "return", "fn", "f",
        "|", "||", "!", "==", "<", "<<", ">>", "&&", "1", "0", "-1", "9223372036854775807", "1.5", "\"s\"", "'c'",
        "`a${x}b`", "true", "()", "switch", "=>", "_", "try", "catch", "throw", "this", "len", "push", "call", "Fn",
        "#\"r\"#", "##", "`\\${`", "0X1F", "?[", "import", "\"m\"", "as", "m", "::", "export", "_x",
    ]

    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    @Test func randomTokenSoupNeverCrashes() {
        var rng = Random(state: 42)
        var limits = Limits()
        limits.maxOperations = 10_000
        var errors = 0
        for _ in 0..<400 {
            let count = 1 + rng.next(30)
            let script = (0..<count).map { _ in Self.tokens[rng.next(Self.tokens.count)] }.joined(separator: " ")
            if let e = scriptError(script, limits: limits) {
                errors += 1
                #expect(e.line > 0, "\(script): \(e)")
            }
        }
        #expect(errors > 0)
    }

    /// A boundary script and what it must give: a value (its debug form) or an error of a kind.
    struct Boundary: Sendable, CustomTestStringConvertible {
        let script: String
        let value: String?
        let error: RhaiError.Kind?
        static func value(_ script: String, _ value: String) -> Boundary { Boundary(script: script, value: value, error: nil) }
        static func error(_ script: String, _ kind: RhaiError.Kind) -> Boundary { Boundary(script: script, value: nil, error: kind) }
        var testDescription: String { script }
    }

    @Test(arguments: [
        Boundary.error(#""ab" * 9223372036854775807"#, .dataTooLarge),
        .error("[1, 2, 3][0..=9223372036854775807]", .mismatchDataType),  // Rhai indexes arrays by integers only
        .value("(-9223372036854775807 - 1..9223372036854775807).len()", "9223372036854775807"),
        .error("\"abc\"[-9223372036854775807 - 1]", .stringBounds),
        .error("[1][-9223372036854775807 - 1]", .arrayBounds),
        .value("let x = 5; x[0..=9223372036854775807]", "5"),
        .value("9223372036854775807 << 1", "-2"),
        .error("1 >> 64", .arithmetic),
        .error("(-9223372036854775807 - 1) / -1", .arithmetic),
        .error("(-9223372036854775807 - 1) % -1", .arithmetic),
        .error("abs(-9223372036854775807 - 1)", .arithmetic),
        .error("-(-9223372036854775807 - 1)", .arithmetic),
        .error("\"x\".pad(9223372036854775807, \"y\")", .dataTooLarge),
        .value("[].pad(-5, 0)", "()"),
        .value("\"abc\".sub_string(9223372036854775807, 9223372036854775807)", "\"\""),
        .value("\"abc\".sub_string(-9223372036854775807 - 1)", "\"abc\""),
        .error("range(0, 10, 0)", .arithmetic),
        .value("let n = 0; for i in range(9223372036854775800, 9223372036854775807, 5) { n += 1 } n", "2"),
        .value("1e308 * 10.0", "inf"),
        .error("to_char(-1)", .arithmetic),
        .error("parse_int(\"9999999999999999999999\")", .runtime),
        .value("blob(-1)", "[]"),
        .value("\"\".split(\"\")", "[]"),
        .value("[1, 2].extract(5, -3)", "[]"),
        .value("sleep(-1)", "()"),
    ])
    func boundaryValuesGiveTheirOwnValueOrError(_ boundary: Boundary) {
        do {
            let value = try evalScript(boundary.script)
            #expect(boundary.value == value.debugDescription, "\(boundary.script) → \(value.debugDescription), want \(boundary.error.map { "\($0)" } ?? "")")
        } catch {
            #expect(boundary.error == error.kind, "\(boundary.script) → \(error)")
            #expect(error.line > 0, "\(boundary.script): \(error)")
        }
    }
}
