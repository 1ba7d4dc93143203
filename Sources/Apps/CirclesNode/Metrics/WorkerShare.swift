import Synchronization

/// How much of a node's workers each circle holds: the slots running its tasks now and the worker
/// seconds its tasks have taken since start (its share over time is the rate of that total divided by
/// the slots). Outlives the worker's restarts.
package final class WorkerShare: Sendable {
    private let circles = Mutex<[String: (running: Int, seconds: Double)]>([:])

    package init() {}

    func began(_ circle: String) {
        circles.withLock { $0[circle, default: (0, 0)].running += 1 }
    }

    func ended(_ circle: String, after seconds: Double) {
        circles.withLock { circles in
            var entry = circles[circle, default: (0, 0)]
            entry.running = max(0, entry.running - 1)
            entry.seconds += seconds
            circles[circle] = entry
        }
    }

    /// Slots running `circle`'s tasks now.
    package func running(_ circle: String) -> Int { circles.withLock { $0[circle]?.running ?? 0 } }

    /// Worker seconds `circle`'s tasks have taken (finished ones).
    package func seconds(_ circle: String) -> Double { circles.withLock { $0[circle]?.seconds ?? 0 } }
}
