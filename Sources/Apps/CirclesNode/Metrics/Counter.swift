import Synchronization

/// A monotonically increasing Prometheus counter, lock-free.
public final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    public init() {}

    public func increment(by amount: Int = 1) { value.add(amount, ordering: .relaxed) }
    public var current: Int { value.load(ordering: .relaxed) }
}
