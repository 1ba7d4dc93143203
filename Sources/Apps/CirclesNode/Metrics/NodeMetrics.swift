/// The node's metrics, registered once and shared by every session.
package struct NodeMetrics: Sendable {
    package let registry: MetricsRegistry
    package let authSucceeded: Counter
    package let authFailed: Counter
    package let playsCompleted: Counter
    package let playsFailed: Counter
    package let playsRejected: Counter
    package let playLatency: Histogram
    package let workerSucceeded: Counter
    package let workerFailed: Counter
    package let workerGaveBack: Counter
    package let workerQueueErrors: Counter
    package let stateCommits: Counter
    package let stateAborted: Counter
    package let stateRefused: Counter
    package let turnWait: Histogram
    package let playsRefusedCallerCap: Counter
    package let connectionsRefusedTotal: Counter
    package let connectionsRefusedPerIP: Counter
    package let acceptErrorsFdLimit: Counter
    package let acceptErrorsOther: Counter
    package let playsStoppedTime: Counter
    package let playsStoppedMemory: Counter
    package let playsStoppedOutput: Counter
    package let playsStoppedOperations: Counter
    package let workerShare = WorkerShare()
    package let redisWaitShortfalls: Counter

    package init(registry: MetricsRegistry = MetricsRegistry()) {
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
