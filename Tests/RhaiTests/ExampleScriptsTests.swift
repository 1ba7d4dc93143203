import Foundation
import Rhai
import TestSupport
import Testing

/// Rhai's own example scripts produce the output listed in Tests/RhaiScripts/EXPECTED.md
/// (`<t>` stands for an elapsed time and matches any number).
@Suite struct ExampleScriptsTests {
    static let expected: [String: [String]] = [
        "array": ["x[1] should be 2:", "2", "x[1] should be 5: 5"],
        "assignment": ["x should be 78: 78"],
        "comments": [],
        "doc-comments": ["hello, world! 42"],
        "fibonacci": ["Running Fibonacci(28) x 5 times...", "Ready... Go!", "Finished. Run time = <t> seconds.",
                      "Fibonacci number #28 = 317811"],
        "for1": (0..<5).flatMap { i in
            let a = ["1", "true", "123.456", "hello", "3"][i]
            return zip([0, 1, 2, 4, 5], ["x", "42", "", "99", "0.5"]).map { "(\(i), \($0)) = (\(a), \($1))" }
        } + ["5", "4", "3", "2", "1"],
        "for2": ["Iterating an array with 1000000 items...", "Ready... Go!", "Time = <t> seconds...", "Sum = 499999500000",
                 "Finished. Total run time = <t> seconds."],
        "for3": ["Ready... Go!", "Creating 100 closures...", "Time = <t> seconds...", "Summing 100 closures...",
                 "Sum = 980100 (should be 980100)", "Finished. Total run time = <t> seconds."],
        "function_decl1": ["call_me() should be 3: 3"],
        "function_decl2": ["add(a, 4) should be 46: 46", "a should still be 3: 3"],
        "function_decl3": ["result should be 42: 42"],
        "function_decl4": ["obj should now be 42: 42"],
        "function_decl5": ["47", "1764", "42", "0", "45", "2", "x: 42"],
        "if1": ["a < b, x should be 0", "0"],
        "if2": ["x should be 810: 810"],
        "loop": ["10", "9", "8", "7", "6", "5", "4", "3", "2", "1"],
        "mat_mul": ["Finished. Run time = <t> seconds."],
        "op1": ["The result should be 46:", "46"],
        "op2": ["The result should be 182:", "182"],
        "op3": ["The result should be 230:", "230"],
        "primes": ["Total 78498 primes <= 1000000", "Run time = <t> seconds."],
        "speed_test": ["Ready... Go!", "Finished. Run time = <t> seconds."],
        "string": [
            "hello", "this\nis \\ nice", "0x40 hex is @", "Unicode fun: ❤", "more fun: 😃", "foo bar", "false", "true",
            "the answer is 42", "length=17", "Question: ❤ hello, world? 😃",
            "One string: This is a long string constructed using line continuation",
            "          \\U0001F603 This is a multi-line\n                \"string\" with \\t\\x20\\r\\n\nmade using multi-line literal\n      string syntax.\n",
            "This is interpolation within yet another level of interpolation! interpolation within literal string.",
            ">>> END <<<",
        ],
        "strings_map": ["Ready... Go!", "Sum = 12799920000", "Finished. Run time = <t> seconds."],
        "switch": ["The Answer!", "Floating point... 123.456", "hello world!", "Something else: <true> is bool",
                   "Something else: <hey> is string", "Something else: <x> is char", "Got 999: 999",
                   "A small odd number: 1", "A small even number: 2", "A small odd number: 3", "A small even number: 4"],
        "while": ["10", "9", "8", "7", "6", "5", "4", "3", "2", "1"],
    ]

    static func matches(_ line: String, _ pattern: String) -> Bool {
        guard pattern.contains("<t>") else { return line == pattern }
        let parts = pattern.components(separatedBy: "<t>")
        guard line.hasPrefix(parts[0]), line.hasSuffix(parts[1]) else { return false }
        let middle = line.dropFirst(parts[0].count).dropLast(parts[1].count)
        return Double(middle) != nil
    }

    @Test(arguments: expected.keys.sorted())
    func producesExpectedOutput(_ name: String) async throws {
        let source = try String(contentsOf: exampleScriptsDirectory.appendingPathComponent("\(name).rhai"), encoding: .utf8)
        let (value, lines) = try await BackgroundThread.run { try runScript(source) }
        let want = Self.expected[name]!
        #expect(value == .unit)
        #expect(lines.count == want.count, "\(name): \(lines)")
        for (line, pattern) in zip(lines, want) {
            #expect(Self.matches(line, pattern), "\(name): got \(line.debugDescription), want \(pattern.debugDescription)")
        }
    }

    /// `module.rhai` imports `loop.rhai` (found by a resolver reading the examples' folder), which
    /// prints as it runs and exports its `x` as `foo`.
    @Test func moduleImportsLoop() throws {
        let source = try String(contentsOf: exampleScriptsDirectory.appendingPathComponent("module.rhai"), encoding: .utf8)
        let engine = Engine()
        let folder = exampleScriptsDirectory
        engine.moduleResolver = { path in
            try? String(contentsOf: folder.appendingPathComponent("\(path).rhai"), encoding: .utf8)
        }
        let out = CapturedOutput()
        _ = try engine.run(try engine.compile(source), output: out.sink)
        #expect(out.lines == ["10", "9", "8", "7", "6", "5", "4", "3", "2", "1", "Module test! foo = 0"])
        #expect(scriptError(source)?.kind == .moduleNotFound)
    }

    /// `oop.rhai` names a property `_data`: Rhai 1.26 refuses names that start with `_`, where it does.
    @Test func oopIsAParseErrorAsInRhai() throws {
        let source = try String(contentsOf: exampleScriptsDirectory.appendingPathComponent("oop.rhai"), encoding: .utf8)
        let error = scriptError(source)
        #expect(error?.kind == .parsing)
        #expect(error?.line == 8 && error?.column == 6, "\(String(describing: error))")
    }

    /// The fuzzing seed corpus, cut at blank lines into snippets: each runs or fails with an error, never crashes.
    @Test func fuzzingCorpusNeverCrashes() async throws {
        let source = try String(contentsOf: exampleScriptsDirectory.appendingPathComponent("fuzzing_seed_corpus_all.rhai"), encoding: .utf8)
        let snippets = source.components(separatedBy: "\n\n")
        #expect(snippets.count > 100)
        var limits = Limits()
        limits.maxOperations = 100_000
        limits.maxStringSize = 1 << 16
        limits.maxArraySize = 1 << 16
        let succeeded = await BackgroundThread.run { [limits] in
            _ = scriptError(source, limits: limits)
            return snippets.count { (try? runScript($0, limits: limits)) != nil }
        }
        #expect(succeeded > snippets.count / 4)
    }
}
