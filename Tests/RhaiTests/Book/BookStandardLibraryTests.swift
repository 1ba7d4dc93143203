import Foundation
import Rhai
import Testing

/// Rhai Book — Built-in Packages (rust/packages/builtin.md): every function and operator signature of
/// the standard library (Tests/RhaiScripts/all_in_one.d.rhai, Rhai 1.26) whose parameter types a script
/// can make is callable with those types and gives a value of the type it declares (a setter or an
/// assignment operator: of its first parameter's type); the few calls whose sample values are invalid
/// for them fail with the error listed in `failing`.
@Suite struct BookStandardLibraryTests {
    static let file = exampleScriptsDirectory.appendingPathComponent("all_in_one.d.rhai")
    static let all = StandardLibrarySignature.load(file)

    /// Signatures left out on purpose, with the reason.
    static let excluded: [String: String] = [
        "fn eval(script: String) -> ?;": "eval is denied (BookEvalTests)",
        "fn back_trace() -> Array;": "needs Rhai's debugging feature, not in a default engine",
    ]

    /// Signatures that show a gap (see GAPS.md).
    static let gaps: [String: BookGap] = [:]

    /// Calls that fail for their sample values, with the error kind they must fail with.
    static let failing: [String: RhaiError.Kind] = [
        "fn parse_int(string: String, radix: int) -> int;": .runtime,  // "12" in radix 2
    ]

    /// Script types by the names the definitions file gives them.
    static let typeNames: [String: String] = [
        "int": "i64", "float": "f64", "bool": "bool", "String": "string", "char": "char", "Array": "array", "Map": "map",
        "Blob": "blob", "()": "()", "FnPtr": "Fn", "Instant": "timestamp", "Range<int>": "range", "RangeInclusive<int>": "range=",
    ]

    /// The type name the call's value must have; nil when any will do (`?`, `RhaiResult`).
    static func expectedType(of signature: StandardLibrarySignature) -> [String]? {
        let assignment = signature.form == .op && signature.name.hasSuffix("=") && !["==", "!=", "<=", ">="].contains(signature.name)
        if signature.form == .setter || assignment {
            // The script gives back the assigned variable; `char += …` makes it a string, as in Rhai.
            if assignment, signature.params.first?.type == "char" { return ["string"] }
            return typeNames[signature.params.first?.type ?? "?"].map { [$0] }
        }
        // `print(x)` and `debug(x)` in a script are the statements (giving `()`), not the conversions listed.
        if signature.form == .function, ["print", "debug"].contains(signature.name) { return ["()"] }
        guard let arrow = signature.text.range(of: "->", options: .backwards) else { return nil }
        let declared = signature.text[arrow.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " ;"))
        if declared.hasPrefix("Iterator<") { return ["array", "range"] }
        return typeNames[declared].map { [$0] }
    }

    /// Decimal numbers need Rhai's `decimal` feature, not in a default engine.
    static let callable = all.filter { $0.script != nil && excluded[$0.text] == nil && !$0.text.contains("Decimal") }

    @Test func theDefinitionsFileIsRead() {
        #expect(Self.all.count > 900)
        #expect(Self.callable.count > 400)
    }

    @Test(arguments: callable)
    func signatureIsCallable(_ signature: StandardLibrarySignature) async {
        let outcome = await BookRunner.run(signature.script!)
        guard let gap = Self.gaps[signature.text] else {
            verify(signature, outcome)
            return
        }
        withKnownIssue(Comment(rawValue: "\(gap): \(gap.rawValue)")) { verify(signature, outcome) } matching: { gap.matches($0) }
    }

    private func verify(_ signature: StandardLibrarySignature, _ outcome: Result<(value: Dynamic, lines: [String]), RhaiError>) {
        let script = signature.script!
        switch outcome {
        case .success(let run):
            #expect(Self.failing[signature.text] == nil, "\(script)\n→ \(run.value.debugDescription), want an error")
            if let types = Self.expectedType(of: signature) {
                #expect(types.contains(run.value.typeName), "\(script)\n→ \(run.value.debugDescription) (\(run.value.typeName)), want \(types)")
            }
        case .failure(let error):
            #expect(Self.failing[signature.text] == error.kind, "\(script)\n→ \(error)")
        }
    }
}
