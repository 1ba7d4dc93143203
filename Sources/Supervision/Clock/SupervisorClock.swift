import Actors
import Threads

/// Time as supervisors see it: injectable so restart intensity and backoff are testable without waiting.
public protocol SupervisorClock: Sendable {
    /// Seconds on a monotonic clock.
    func now() -> Double
    func sleep(seconds: Double) async throws
}

/// The real monotonic clock.
public struct SystemSupervisorClock: SupervisorClock {
    public init() {}

    public func now() -> Double { SystemTime.monotonic() }

    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .nanoseconds(Int64(seconds * 1e9)))
    }
}
