/// A function pointer: a function name (or an anonymous closure) plus curried arguments.
public final class FnPtr: @unchecked Sendable {
    public let name: String
    public let curried: [Dynamic]
    let function: ScriptFunction?
    /// Shared boxes of the variables a closure captured, in the closure's capture order.
    let captured: [Dynamic]

    init(name: String, function: ScriptFunction?, curried: [Dynamic] = [], captured: [Dynamic] = []) {
        self.name = name
        self.function = function
        self.curried = curried
        self.captured = captured
    }

    var isAnonymous: Bool { name.hasPrefix("anon$") }

    func curry(_ more: [Dynamic]) -> FnPtr {
        FnPtr(name: name, function: function, curried: curried + more, captured: captured)
    }
}
