import Testing

/// What a fuzz run found. A run is long CPU work, so it goes to a thread of its own (never holding
/// one of the cooperative pool's two threads), where `#expect` has no test to report to: checks are
/// gathered here and reported by the test once the run is back.
struct FuzzFindings: Sendable {
    private(set) var messages: [String] = []
    private(set) var count = 0

    /// Notes `message` when `condition` fails (the first ten are kept).
    mutating func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        guard !condition else { return }
        count += 1
        if messages.count < 10 { messages.append(message()) }
    }

    /// Records the findings as issues of the running test.
    func report(sourceLocation: SourceLocation = #_sourceLocation) {
        for message in messages { Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation) }
        if count > messages.count { Issue.record("and \(count - messages.count) more", sourceLocation: sourceLocation) }
    }
}
