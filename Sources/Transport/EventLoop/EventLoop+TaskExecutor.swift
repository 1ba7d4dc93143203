/// An event loop runs Swift jobs too: tasks that prefer it (`Task(executorPreference: loop)`), such
/// as the actor serving a connection, run on the loop thread between I/O events, so handing them a
/// frame or taking their reply costs no thread switch. Their work must be as short as any loop job.
extension EventLoop: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        execute { [self] in job.runSynchronously(on: asUnownedTaskExecutor()) }
    }
}
