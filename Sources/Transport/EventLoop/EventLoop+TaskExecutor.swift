/// An event loop runs Swift jobs too: tasks that prefer it (`Task(executorPreference: loop)`), such
/// as the actor serving a connection, run on the loop thread between I/O events, so handing them a
/// frame or taking their reply costs no thread switch. Their work must be as short as any loop job.
extension EventLoop: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let run: @Sendable () -> Void = { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }
        // From a plain thread (a worker answering a play): run it there at once when the loop is
        // idle, sparing the loop a wake-up. From inside a task, or on the loop, queue it: a job never
        // runs nested in another.
        if inLoop || withUnsafeCurrentTask(body: { $0 != nil }) { execute(run) } else { perform(run) }
    }
}
