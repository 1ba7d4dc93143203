import Synchronization

/// A Prometheus histogram with fixed upper bounds (seconds for latencies).
package final class Histogram: Sendable {
    /// From 10 µs: a play on the node's fast path answers in tens of microseconds.
    package static let latencyBuckets: [Double] = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    package let bounds: [Double]
    private struct State {
        var counts: [Int]
        var sum: Double = 0
        var total = 0
    }
    private let state: Mutex<State>

    package init(bounds: [Double] = Histogram.latencyBuckets) {
        self.bounds = bounds.sorted()
        state = Mutex(State(counts: Array(repeating: 0, count: bounds.count)))
    }

    package func observe(_ value: Double) {
        let bucket = bounds.firstIndex(where: { value <= $0 })
        state.withLock { state in
            if let bucket { state.counts[bucket] += 1 }
            state.sum += value
            state.total += 1
        }
    }

    /// Cumulative counts per bound, the sum and the total count.
    package func snapshot() -> (cumulative: [Int], sum: Double, count: Int) {
        state.withLock { state in
            var running = 0
            let cumulative = state.counts.map { count -> Int in
                running += count
                return running
            }
            return (cumulative, state.sum, state.total)
        }
    }
}
