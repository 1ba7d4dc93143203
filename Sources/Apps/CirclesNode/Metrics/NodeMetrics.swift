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
    public let stateCommits: Counter
    public let stateAborted: Counter
    public let stateRefused: Counter
    public let turnWait: Histogram
    public let playsRefusedCallerCap: Counter
    public let connectionsRefusedTotal: Counter
    public let connectionsRefusedPerIP: Counter
    public let acceptErrorsFdLimit: Counter
    public let acceptErrorsOther: Counter
    public let playsStoppedTime: Counter
    public let playsStoppedMemory: Counter
    public let playsStoppedOutput: Counter
    public let playsStoppedOperations: Counter
    public let workerShare = WorkerShare()
    public let redisWaitShortfalls: Counter

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
        let state = "Tasks of this node's workers by what became of their circle state: committed (with the result), aborted (the script failed: nothing written), refused (the attempt had lost its lease: nothing written)."
        stateCommits = registry.counter("circles_state_tasks_total", help: state, labels: [("outcome", "committed")])
        stateAborted = registry.counter("circles_state_tasks_total", help: state, labels: [("outcome", "aborted")])
        stateRefused = registry.counter("circles_state_tasks_total", help: state, labels: [("outcome", "refused")])
        turnWait = registry.histogram("circles_turn_wait_seconds", help: "Time a task waited from its queueing to the start of its circle's turn.")
        playsRefusedCallerCap = registry.counter("circles_plays_refused_total", help: "Plays refused before they were queued, by reason.",
                                                 labels: [("reason", "caller_in_flight")])
        let refused = "Connections refused by the node's connection limits, by limit."
        connectionsRefusedTotal = registry.counter("circles_connections_refused_total", help: refused, labels: [("limit", "max_connections")])
        connectionsRefusedPerIP = registry.counter("circles_connections_refused_total", help: refused, labels: [("limit", "per_ip")])
        let accept = "Failed accepts (the listener retries), by cause: fd_limit is EMFILE or ENFILE."
        acceptErrorsFdLimit = registry.counter("circles_accept_errors_total", help: accept, labels: [("cause", "fd_limit")])
        acceptErrorsOther = registry.counter("circles_accept_errors_total", help: accept, labels: [("cause", "other")])
        let stopped = "Plays stopped by a limit, by limit (from the failure's kind and message)."
        playsStoppedTime = registry.counter("circles_plays_stopped_total", help: stopped, labels: [("limit", "time")])
        playsStoppedMemory = registry.counter("circles_plays_stopped_total", help: stopped, labels: [("limit", "memory")])
        playsStoppedOutput = registry.counter("circles_plays_stopped_total", help: stopped, labels: [("limit", "output")])
        playsStoppedOperations = registry.counter("circles_plays_stopped_total", help: stopped, labels: [("limit", "other")])
        redisWaitShortfalls = registry.counter("circles_redis_wait_shortfalls_total",
                                               help: "Commits of this node's workers whose WAIT got fewer replica acknowledgements than --redis-wait-replicas within its timeout (the play was answered all the same).")
    }
}
