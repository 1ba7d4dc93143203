/// How one step of a property, index or method chain treats `()`.
enum NullSafety: UInt8, Sendable {
    /// `.` or `[`: `()` has no properties, like any other value without them.
    case none
    /// `?.` or `?[`: on `()`, this step and the rest of its chain are skipped and the chain is `()`.
    case check
    /// A `.` or `[` after a `?.` of the same chain: skipped when that `?.` skipped the chain.
    case tail
}
