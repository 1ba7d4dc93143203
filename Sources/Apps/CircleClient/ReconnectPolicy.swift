/// When and how often a client reopens a dropped connection: exponential backoff with jitter.
/// After a successful reconnect the client authenticates again if it had authenticated before.
public struct ReconnectPolicy: Sendable, Equatable {
    /// Attempts per outage before giving up (nil: keep trying until `close()`).
    public var maxAttempts: Int?
    /// Seconds before the second attempt (the first one is immediate).
    public var initialDelay: Double
    /// The longest pause between attempts, in seconds.
    public var maxDelay: Double
    /// The factor by which the pause grows after each failed attempt.
    public var multiplier: Double
    /// Each pause is spread at random by up to this fraction of itself (0...1).
    public var jitter: Double

    public init(maxAttempts: Int? = nil, initialDelay: Double = 0.1, maxDelay: Double = 5, multiplier: Double = 2, jitter: Double = 0.2) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
        self.jitter = jitter
    }

    public static let `default` = ReconnectPolicy()

    /// The pause before attempt `attempt + 1`, given that `attempt` attempts (from 1) have failed.
    public func delay(after attempt: Int) -> Double {
        let base = min(maxDelay, initialDelay * pow(multiplier, Double(max(0, attempt - 1))))
        let spread = base * min(max(jitter, 0), 1)
        return max(0, base + Double.random(in: -spread...spread))
    }

    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(min(exponent, 64)) { result *= base }
        return result
    }
}
