import Synchronization

/// Keys seen recently, each remembered until it expires, at most `capacity` at once: a replayed Stripe
/// event (same timestamp and body) is refused even inside the timestamp tolerance.
final class ReplayCache: Sendable {
    private let seen = Mutex<[String: Double]>([:])
    let capacity: Int

    init(capacity: Int = 100_000) { self.capacity = capacity }

    /// Records `key` until `expiry`; false when it was already there (a replay) or the cache is full.
    func insert(_ key: String, expiry: Double, now: Double) -> Bool {
        seen.withLock { seen in
            if let until = seen[key], until >= now { return false }
            if seen.count >= capacity { seen = seen.filter { $0.value >= now } }
            guard seen.count < capacity else { return false }
            seen[key] = expiry
            return true
        }
    }
}
