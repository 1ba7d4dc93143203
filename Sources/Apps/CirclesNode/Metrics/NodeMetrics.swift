/// The node's metrics, registered once and shared by every session.
public struct NodeMetrics: Sendable {
    public let registry: MetricsRegistry
    public let authSucceeded: Counter
    public let authFailed: Counter
    public let playsCompleted: Counter
    public let playsFailed: Counter
    public let playsRejected: Counter
    public let playLatency: Histogram
    public let workerSucceeded: Counter
    public let workerFailed: Counter
    public let workerGaveBack: Counter
    public let workerQueueErrors: Counter

    public init(registry: MetricsRegistry = MetricsRegistry()) {
        self.registry = registry
        authSucceeded = registry.counter("circles_auth_total", help: "Authentication attempts by result.", labels: [("result", "success")])
        authFailed = registry.counter("circles_auth_total", help: "Authentication attempts by result.", labels: [("result", "failure")])
        playsCompleted = registry.counter("circles_plays_total", help: "Plays by outcome.", labels: [("outcome", "completed")])
        playsFailed = registry.counter("circles_plays_total", help: "Plays by outcome.", labels: [("outcome", "script_error")])
        playsRejected = registry.counter("circles_plays_total", help: "Plays by outcome.", labels: [("outcome", "rejected")])
        playLatency = registry.histogram("circles_play_seconds", help: "Time from play request to answer.")
        let tasks = "Tasks this node's workers finished, by outcome (given_back: back on the queue, not run to its end)."
        workerSucceeded = registry.counter("circles_worker_tasks_total", help: tasks, labels: [("outcome", "completed")])
        workerFailed = registry.counter("circles_worker_tasks_total", help: tasks, labels: [("outcome", "script_error")])
        workerGaveBack = registry.counter("circles_worker_tasks_total", help: tasks, labels: [("outcome", "given_back")])
        workerQueueErrors = registry.counter("circles_worker_queue_errors_total",
                                             help: "Takes and records of this node's workers the queue failed (each retried).")
    }
}
