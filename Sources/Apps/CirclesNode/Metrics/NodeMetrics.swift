/// The node's metrics, registered once and shared by every session.
public struct NodeMetrics: Sendable {
    public let registry: MetricsRegistry
    public let authSucceeded: Counter
    public let authFailed: Counter
    public let playsCompleted: Counter
    public let playsFailed: Counter
    public let playsRejected: Counter
    public let playLatency: Histogram

    public init(registry: MetricsRegistry = MetricsRegistry()) {
        self.registry = registry
        authSucceeded = registry.counter("circles_auth_total", help: "Authentication attempts by result.", labels: [("result", "success")])
        authFailed = registry.counter("circles_auth_total", help: "Authentication attempts by result.", labels: [("result", "failure")])
        playsCompleted = registry.counter("circles_plays_total", help: "Plays by outcome.", labels: [("outcome", "completed")])
        playsFailed = registry.counter("circles_plays_total", help: "Plays by outcome.", labels: [("outcome", "script_error")])
        playsRejected = registry.counter("circles_plays_total", help: "Plays by outcome.", labels: [("outcome", "rejected")])
        playLatency = registry.histogram("circles_play_seconds", help: "Time from play request to answer.")
    }
}
