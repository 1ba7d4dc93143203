import Foundation
import Testing

/// A documented example of Rhai's standard library (a ```rhai block of a doc comment in
/// `all_in_one.d.rhai`) whose `print` statements all say what they print (`// prints 42`).
struct StandardLibraryExample: Sendable, CustomTestStringConvertible {
    /// The signature the example documents.
    let signature: String
    let script: String
    let expected: [String]

    var testDescription: String { signature }

    /// What a `// prints …` comment says is printed, or nil when it describes rather than shows it.
    static func printed(_ comment: String) -> String? {
        let c = comment.trimmingCharacters(in: .whitespaces)
        if c.hasPrefix("\""), let end = c.lastIndex(of: "\""), end > c.startIndex {
            return String(c[c.index(after: c.startIndex)..<end])
        }
        if c.hasPrefix("'"), c.count >= 3, c.dropFirst(2).first == "'" { return String(c.dropFirst().prefix(1)) }
        if c.hasPrefix("[") || c.hasPrefix("{") { return c }
        if c.hasPrefix("empty") { return "" }
        let token = String(c.prefix { $0 != " " && $0 != ":" })
        if token == "true" || token == "false" || Double(token) != nil { return token }
        return nil
    }

    /// The examples of the definitions file that can be checked.
    static func load(_ url: URL) -> [StandardLibraryExample] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var out: [StandardLibraryExample] = []
        var doc: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("///") {
                let text = line.dropFirst(3)
                doc.append(String(text.hasPrefix(" ") ? text.dropFirst() : text))
                continue
            }
            if line.hasPrefix("fn ") || line.hasPrefix("op ") {
                var block: [String]? = nil
                for d in doc {
                    let t = d.trimmingCharacters(in: .whitespaces)
                    if t.hasPrefix("```rhai") { block = []; continue }
                    if t.hasPrefix("```"), let b = block {
                        if let example = make(String(line), b) { out.append(example) }
                        block = nil
                        continue
                    }
                    block?.append(d)
                }
            }
            doc = []
        }
        return out
    }

    static func make(_ signature: String, _ lines: [String]) -> StandardLibraryExample? {
        var expected: [String] = []
        for line in lines where line.contains("print(") {
            guard let range = line.range(of: "// prints "), let value = printed(String(line[range.upperBound...])) else { return nil }
            expected.append(value)
        }
        if expected.isEmpty { return nil }
        return StandardLibraryExample(signature: signature, script: lines.joined(separator: "\n"), expected: expected)
    }
}
