#if canImport(Glibc)
import Glibc
#endif
import DequeModule

/// Dedicated threads for blocking or CPU-heavy work (script execution), so that Swift's cooperative
/// pool is never blocked. Jobs run in FIFO order; `run` suspends the caller until its job is done.
///
/// `@unchecked Sendable`: every mutable field is read and written only under `mutex`.
public final class ThreadPool: @unchecked Sendable {
    public let threadCount: Int
    private var jobs: Deque<@Sendable () -> Void> = []
    private var shuttingDown = false
    private let condition: UnsafeMutablePointer<pthread_cond_t> = .allocate(capacity: 1)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)

    /// Starts `threads` threads, each with `stackSize` bytes of stack (scripts may recurse deeply).
    public init(threads: Int, stackSize: Int = 16 << 20) {
        threadCount = max(1, threads)
        pthread_cond_init(condition, nil)
        pthread_mutex_init(mutex, nil)
        for _ in 0..<threadCount {
            let start = Unmanaged.passRetained(WorkerStart(pool: self))
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            pthread_attr_setstacksize(&attributes, stackSize)
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
            var thread = pthread_t()
            let rc = pthread_create(&thread, &attributes, { raw in
                let start = Unmanaged<WorkerStart>.fromOpaque(raw!).takeRetainedValue()
                start.pool.workerLoop()
                return nil
            }, start.toOpaque())
            pthread_attr_destroy(&attributes)
            precondition(rc == 0, "pthread_create failed: \(rc)")
        }
    }

    /// Jobs waiting for a thread.
    public var queued: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return jobs.count
    }

    /// Runs `work` on one of the pool's threads and returns its result.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            submit { continuation.resume(returning: work()) }
        }
    }

    /// Enqueues `job` without waiting for it.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Lets the queued jobs finish, then ends the threads.
    public func shutdown() {
        pthread_mutex_lock(mutex)
        shuttingDown = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    private func workerLoop() {
        while true {
            pthread_mutex_lock(mutex)
            while jobs.isEmpty, !shuttingDown { pthread_cond_wait(condition, mutex) }
            let job = jobs.popFirst()
            pthread_mutex_unlock(mutex)
            guard let job else { return }
            job()
        }
    }

    private final class WorkerStart: @unchecked Sendable {
        let pool: ThreadPool
        init(pool: ThreadPool) { self.pool = pool }
    }
}
