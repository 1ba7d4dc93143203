import Testing

/// Behaviour the Rhai Book documents that this engine does not have (yet). Each gap is explained in
/// `GAPS.md`; the cases that show it run as known issues.
enum BookGap: String, Sendable, CaseIterable {
    case dataRaces = "a shared value used both as `this` and inside the call is not reported as a data race (language/fn-closure.md)"

    /// What a case showing the gap fails with, as its failure message says it: a known issue that
    /// fails otherwise is a new failure, not this gap.
    var symptoms: [String] {
        switch self {
        case .dataRaces:
            ["no error, want ErrorDataRace"]
        }
    }

    /// Whether `issue` is this gap's failure.
    func matches(_ issue: Issue) -> Bool {
        let text = "\(issue)" + issue.comments.map(\.rawValue).joined(separator: "\n")
        return symptoms.contains { text.contains($0) }
    }
}
