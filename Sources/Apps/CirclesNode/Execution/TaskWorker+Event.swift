extension TaskWorker {
    /// What a worker's slots report as they go (for logs and metrics).
    public enum Event: Sendable {
        /// A task's result was recorded: a success or a script failure.
        case recorded(TaskResult)
        /// A task taken as the worker stopped, or abandoned at its deadline, went back to its queue.
        case gaveBack(ScriptTask)
        /// The queue failed a take or a record; the slot retries with backoff.
        case queueError(QueueError)
    }
}
