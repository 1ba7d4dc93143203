import Synchronization

/// A monotonically increasing Prometheus counter, lock-free.
package final class Counter: Sendable {
    private let value = Atomic<Int>(0)

    package init() {}

    package func increment(by amount: Int = 1) { value.add(amount, ordering: .relaxed) }
    package var current: Int { value.load(ordering: .relaxed) }
}
