import Synchronization

/// Plays in flight per authenticated caller, across every session of a node: one caller with many
/// connections cannot hold more than `limit` of the node's workers (and its queue places).
package final class CallerShares: Sendable {
    /// Plays one caller may have in flight at once, over all its sessions.
    package let limit: Int
    private let counts = Mutex<[String: Int]>([:])

    package init(limit: Int) {
        self.limit = limit
    }

    /// Counts one more play of `caller`; false (nothing counted) when it has `limit` already.
    package func acquire(_ caller: String) -> Bool {
        counts.withLock { counts in
            let current = counts[caller, default: 0]
            guard current < limit else { return false }
            counts[caller] = current + 1
            return true
        }
    }

    /// A play of `caller` has its answer.
    package func release(_ caller: String) {
        counts.withLock { counts in
            let left = counts[caller, default: 1] - 1
            counts[caller] = left > 0 ? left : nil
        }
    }

    /// Plays `caller` has in flight.
    package func inFlight(_ caller: String) -> Int {
        counts.withLock { $0[caller, default: 0] }
    }

    /// Callers with a play in flight.
    package var callers: Int { counts.withLock { $0.count } }
}
