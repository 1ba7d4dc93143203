import Synchronization

/// Keys seen recently, each remembered until it expires, at most `capacity` at once: a replayed Stripe
/// event (same timestamp and body) is refused even inside the timestamp tolerance, a replayed iDenfy
/// delivery (same body) within the replay window.
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

    /// Forgets `key` (its event was not handled, so a retry may run it).
    func remove(_ key: String) {
        _ = seen.withLock { $0.removeValue(forKey: key) }
    }
}
