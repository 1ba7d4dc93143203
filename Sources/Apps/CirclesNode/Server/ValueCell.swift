import Synchronization

/// A value set after construction (the current HTTP server, the sessions supervisor of this run).
final class ValueCell<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    init(_ initial: Value? = nil) { value.withLock { $0 = initial } }

    func set(_ new: Value?) { value.withLock { $0 = new } }

    var current: Value? { value.withLock { $0 } }

    /// The value, leaving the cell empty.
    func take() -> Value? {
        value.withLock { value in
            defer { value = nil }
            return value
        }
    }
}
