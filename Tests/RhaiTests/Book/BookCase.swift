import Rhai
import Testing

/// One example or statement of the Rhai Book: a script and what it must do. A case the engine does not
/// yet follow names its `BookGap` and runs as a known issue (so it shows once the gap is closed).
struct BookCase: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        /// The script's value, compared strictly (type and debug form: `1` is not `1.0`).
        case value(Dynamic)
        /// The script fails with this error kind, optionally at this line and column.
        case error(RhaiError.Kind, line: Int?, column: Int?)
        /// The lines the script prints with `print` and `debug`.
        case output([String])
    }

    let script: String
    let expectation: Expectation
    let gap: BookGap?

    static func value(_ script: String, _ expected: Dynamic, gap: BookGap? = nil) -> BookCase {
        BookCase(script: script, expectation: .value(expected), gap: gap)
    }

    static func error(_ script: String, _ kind: RhaiError.Kind, line: Int? = nil, column: Int? = nil,
                      gap: BookGap? = nil) -> BookCase {
        BookCase(script: script, expectation: .error(kind, line: line, column: column), gap: gap)
    }

    static func prints(_ script: String, _ lines: [String], gap: BookGap? = nil) -> BookCase {
        BookCase(script: script, expectation: .output(lines), gap: gap)
    }

    var testDescription: String {
        let oneLine = script.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return oneLine.count > 90 ? String(oneLine.prefix(87)) + "..." : oneLine
    }

    /// Runs the case; a case with a gap must still fail (a known issue), or the gap is reported as closed.
    func check(sourceLocation: SourceLocation = #_sourceLocation) async {
        let outcome = await BookRunner.run(script)
        guard let gap else {
            verify(outcome, sourceLocation)
            return
        }
        withKnownIssue(Comment(rawValue: "\(gap): \(gap.rawValue)"), sourceLocation: sourceLocation) {
            verify(outcome, sourceLocation)
        } matching: { gap.matches($0) }
    }

    private func verify(_ outcome: Result<(value: Dynamic, lines: [String]), RhaiError>, _ location: SourceLocation) {
        switch (expectation, outcome) {
        case (.value(let expected), .success(let run)):
            #expect(BookCase.same(run.value, expected),
                    "\(script)\n→ \(run.value.debugDescription) (\(run.value.typeName)), want \(expected.debugDescription) (\(expected.typeName))",
                    sourceLocation: location)
        case (.error(let kind, let line, let column), _):
            let error: RhaiError? = if case .failure(let failure) = outcome { failure } else { nil }
            #expect(error?.kind == kind, "\(script)\n→ \(error.map { "\($0)" } ?? "no error"), want \(kind.name)", sourceLocation: location)
            if let line, let column {
                #expect(error?.line == line && error?.column == column,
                        "\(script)\n→ \(error.map { "\($0)" } ?? "no error"), want line \(line), position \(column)", sourceLocation: location)
            }
        case (.output(let expected), .success(let run)):
            #expect(run.lines == expected, "\(script)\n→ \(run.lines)", sourceLocation: location)
        case (_, .failure(let error)):
            Issue.record("\(script)\n→ \(error)", sourceLocation: location)
        }
    }

    /// Strict equality: same type name and same debug form.
    static func same(_ a: Dynamic, _ b: Dynamic) -> Bool {
        a.typeName == b.typeName && a.debugDescription == b.debugDescription
    }
}
