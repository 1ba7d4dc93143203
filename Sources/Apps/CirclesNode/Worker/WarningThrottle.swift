import Synchronization

/// Lets a repeated warning through at most once every `interval` seconds: the first at once, then the
/// next one due, with how many were held back in between.
final class WarningThrottle: Sendable {
    private let interval: Double
    private let last = Mutex<(at: Double, quiet: Int)>((-.infinity, 0))

    init(interval: Double = 10) {
        self.interval = interval
    }

    /// Nil when the warning at `now` is held back; else how many were held back since the last one.
    func admit(at now: Double) -> Int? {
        last.withLock { last -> Int? in
            guard now - last.at >= interval else {
                last.quiet += 1
                return nil
            }
            defer { last = (now, 0) }
            return last.quiet
        }
    }
}
