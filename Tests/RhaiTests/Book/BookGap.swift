/// Behaviour the Rhai Book documents that this engine does not have (yet). Each gap is explained in
/// `GAPS.md`; the cases that show it run as known issues.
enum BookGap: String, Sendable, CaseIterable {
    case dynamicTags = "values carry no tag: `x.tag = 123` is not stored (language/dynamic-tag.md)"
    case dataRaces = "a shared value used both as `this` and inside the call is not reported as a data race (language/fn-closure.md)"
}
