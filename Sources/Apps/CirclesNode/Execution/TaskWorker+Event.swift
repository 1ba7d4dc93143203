extension TaskWorker {
    /// What a worker's slots report as they go (for logs and metrics).
    package enum Event: Sendable {
        /// A slot took a task and starts it (its turn began after `ScriptTask.waited` seconds in the queue).
        case started(ScriptTask)
        /// A slot's script ended after `seconds` (before its result is recorded).
        case finished(ScriptTask, seconds: Double)
        /// A task's result was recorded: a success (its writes committed) or a script failure (nothing committed).
        case recorded(TaskResult)
        /// A task's result was refused: its lease or its circle's turn had passed to another attempt, so
        /// nothing was recorded or written.
        case refused(TaskResult)
        /// A task taken as the worker stopped, or abandoned at its deadline, went back to its queue.
        case gaveBack(ScriptTask)
        /// The queue failed a take or a record; the slot retries with backoff.
        case queueError(QueueError)
    }
}
