import Rhai
import Testing

/// Random token soup and boundary values: every script either runs or fails with a RhaiError.
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

    @Test(arguments: [
        #""ab" * 9223372036854775807"#, "[1, 2, 3][0..=9223372036854775807]", "(-9223372036854775807 - 1..9223372036854775807).len()",
        "\"abc\"[-9223372036854775807 - 1]", "[1][-9223372036854775807 - 1]", "let x = 5; x[0..=9223372036854775807]",
        "9223372036854775807 << 1", "1 >> 64", "(-9223372036854775807 - 1) / -1", "(-9223372036854775807 - 1) % -1",
        "abs(-9223372036854775807 - 1)", "-(-9223372036854775807 - 1)", "\"x\".pad(9223372036854775807, \"y\")",
        "[].pad(-5, 0)", "\"abc\".sub_string(9223372036854775807, 9223372036854775807)", "\"abc\".sub_string(-9223372036854775807 - 1)",
        "range(0, 10, 0)", "for i in range(9223372036854775800, 9223372036854775807, 5) {}", "1e308 * 10.0", "to_char(-1)",
        "parse_int(\"9999999999999999999999\")", "blob(-1)", "\"\".split(\"\")", "[1, 2].extract(5, -3)", "sleep(-1)",
        "\"hello\"[9223372036854775807..]", "let s = \"abc\"; s[..9223372036854775807] = \"x\"; s", "let x = 1; x[63..]",
        "let x = 1; x[..=63] = -1; x", "let x = 1; x[-9223372036854775807 - 1..]", "\"abc\"[-9223372036854775807 - 1..=-1]",
        "for i in 9223372036854775806.. {}", "switch 9223372036854775807 { 0.. => 1 }",
    ])
    func boundaryValuesFailCleanly(_ script: String) {
        if let e = scriptError(script) { #expect(e.line > 0, "\(script): \(e)") }
    }
}
