/// A value and its dynamic tag (Rhai's `tag`, a 32-bit integer). Immutable: setting a tag makes a new box.
public final class TaggedValue: Sendable {
    /// The value itself: never tagged or shared.
    public let value: Dynamic
    /// Never 0 (a value with tag 0 is stored untagged).
    public let tag: Int32

    init(_ value: Dynamic, tag: Int32) {
        self.value = value
        self.tag = tag
    }
}
