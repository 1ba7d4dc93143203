import Foundation
import Rhai
import Testing

/// Rhai Book — Built-in Packages (rust/packages/builtin.md): every function and operator signature of
/// the standard library (Tests/RhaiScripts/all_in_one.d.rhai, Rhai 1.26) whose parameter types a script
/// can make is callable with those types: the call runs, or fails for its values (e.g. an invalid
/// number), never because no such function or operator exists.
@Suite struct BookStandardLibraryTests {
    static let file = exampleScriptsDirectory.appendingPathComponent("all_in_one.d.rhai")
    static let all = StandardLibrarySignature.load(file)

    /// Signatures left out on purpose, with the reason.
    static let excluded: [String: String] = [
        "fn eval(script: String) -> ?;": "eval is denied (BookEvalTests)",
        "fn back_trace() -> Array;": "needs Rhai's debugging feature, not in a default engine",
    ]

    /// Signatures that show a gap (see GAPS.md).
    static let gaps: [String: BookGap] = [
        "fn set_tag(value: ?, tag: int) -> ();": .dynamicTags,
        "fn set tag(value: ?, tag: int) -> ();": .dynamicTags,
    ]

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
        withKnownIssue(Comment(rawValue: "\(gap): \(gap.rawValue)")) { verify(signature, outcome) }
    }

    private func verify(_ signature: StandardLibrarySignature, _ outcome: Result<(value: Dynamic, lines: [String]), RhaiError>) {
        let script = signature.script!
        guard case .failure(let error) = outcome else { return }
        let missing: [RhaiError.Kind] = [.functionNotFound, .mismatchDataType, .dotExpr, .parsing, .indexingType]
        #expect(!missing.contains(error.kind), "\(script)\n→ \(error)")
    }
}
