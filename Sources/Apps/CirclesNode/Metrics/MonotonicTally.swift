import Synchronization

/// Turns a reading that can fall back (restart counts of a subtree that was itself replaced) into a
/// total that never goes down: a fall is taken as a reset to zero followed by the new reading.
package final class MonotonicTally: Sendable {
    private struct State {
        var last = 0
        var total = 0
    }
    private let state = Mutex(State())

    package init() {}

    /// The total after seeing `reading`.
    package func total(after reading: Int) -> Int {
        state.withLock { state in
            state.total += reading >= state.last ? reading - state.last : reading
            state.last = reading
            return state.total
        }
    }
}
