/// The delay before a retry (a restart, a reconnection): `initial` × `multiplier`^k (k = failures in a
/// row), at most `maximum`, spread by ± `jitter` (a fraction); for restarts, k goes back to 0 after
/// `resetAfter` seconds without one.
public struct Backoff: Sendable, Equatable {
    public var initial: Double
    public var multiplier: Double
    public var maximum: Double
    public var jitter: Double
    public var resetAfter: Double

    public init(initial: Double = 0.01, multiplier: Double = 2, maximum: Double = 5, jitter: Double = 0.2, resetAfter: Double = 30) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.jitter = jitter
        self.resetAfter = resetAfter
    }

    /// Restarts at once.
    public static let none = Backoff(initial: 0, multiplier: 1, maximum: 0, jitter: 0, resetAfter: 0)

    /// 50 ms after the first failure, doubling up to 2 s, no jitter: reconnections on loopback and LAN.
    public static let reconnect = Backoff(initial: 0.05, multiplier: 2, maximum: 2, jitter: 0)

    /// The delay before retry number `attempt` (0-based) with `random` in [-1, 1].
    public func delay(attempt: Int, random: Double) -> Double {
        guard initial > 0 else { return 0 }
        var base = initial
        for _ in 0..<min(attempt, 64) where base < maximum { base *= multiplier }
        base = min(base, maximum)
        return max(0, base * (1 + jitter * random))
    }
}
