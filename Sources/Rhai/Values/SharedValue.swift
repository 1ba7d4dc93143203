/// A variable shared between a scope and the closures that captured it.
public final class SharedValue: @unchecked Sendable {
    var value: Dynamic
    init(_ value: Dynamic) { self.value = value }
}
