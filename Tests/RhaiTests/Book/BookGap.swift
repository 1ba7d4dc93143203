import Testing

/// Behaviour the Rhai Book documents that this engine does not have (yet). Each gap is explained in
/// `GAPS.md`; the cases that show it run as known issues. None is open now: a new gap is a
/// `static let` here (listed in `allCases`), with its description and the failure messages that show it.
struct BookGap: Sendable, Hashable, CustomStringConvertible {
    /// The gap's name in GAPS.md.
    let name: String
    /// What the gap is.
    let rawValue: String
    /// What a case showing the gap fails with, as its failure message says it: a known issue that
    /// fails otherwise is a new failure, not this gap.
    let symptoms: [String]

    static let allCases: [BookGap] = []

    var description: String { name }

    /// Whether `issue` is this gap's failure.
    func matches(_ issue: Issue) -> Bool {
        let text = "\(issue)" + issue.comments.map(\.rawValue).joined(separator: "\n")
        return symptoms.contains { text.contains($0) }
    }
}
