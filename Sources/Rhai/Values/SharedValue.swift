/// A variable shared between a scope and the closures that captured it.
public final class SharedValue: @unchecked Sendable {
    var value: Dynamic
    /// Set while the variable is `this` of a method call: using it inside the call is a data race.
    var locked = false
    init(_ value: Dynamic) { self.value = value }
}
