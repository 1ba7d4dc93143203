#if canImport(Glibc)
import Glibc
#endif

/// Runs short actions at deadlines on one dedicated thread, which sleeps until the earliest one.
/// Scheduling later than that deadline (the usual case: asks and scripts share their timeouts)
/// wakes nobody. Most deadlines are never reached (the ask is answered, the script ends): their owner
/// cancels them, which drops the action at once; cancelled entries are swept out of the heap in bulk
/// once they are half of it, so the heap holds about as many entries as there are live deadlines.
/// This replaces a sleeping task, and the thread switches it costs, per ask and per script.
///
/// `@unchecked Sendable`: the fields (and every `Scheduled.action`) are touched only under `mutex`.
public final class DeadlineTimer: @unchecked Sendable {
    /// One scheduled action; `cancel()` drops it, and what it captures, unless it has run.
    public final class Scheduled: @unchecked Sendable {
        /// Unowned: a timer is never deallocated (its thread holds it), and a strong reference would
        /// make every schedule and cancel contend on the shared timer's reference count.
        fileprivate unowned(unsafe) let timer: DeadlineTimer
        fileprivate var action: (@Sendable () -> Void)?

        fileprivate init(timer: DeadlineTimer, action: @escaping @Sendable () -> Void) {
            self.timer = timer
            self.action = action
        }

        public func cancel() { timer.cancel(self) }
    }

    /// The process's timer.
    public static let shared = DeadlineTimer(name: "timer")

    /// Cancelled entries included until they are swept or reached.
    private var heap = DeadlineHeap<Scheduled>()
    /// Cancelled entries still in `heap`.
    private var cancelled = 0
    private var sleepsUntil = Double.infinity
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)
    private let condition: UnsafeMutablePointer<pthread_cond_t> = .allocate(capacity: 1)

    /// Starts the timer's thread, named `name`; it lives as long as the process.
    public init(name: String) {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        DedicatedThread.start(name) { [self] in run() }
    }

    /// Runs `action` on the timer's thread in about `seconds` unless cancelled first; it must be quick
    /// and must not block.
    @discardableResult
    public func schedule(after seconds: Double, _ action: @escaping @Sendable () -> Void) -> Scheduled {
        let deadline = SystemTime.monotonic() + seconds
        let scheduled = Scheduled(timer: self, action: action)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        heap.push(scheduled, at: deadline)
        if deadline < sleepsUntil { pthread_cond_signal(condition) }
        return scheduled
    }

    /// Actions waiting for their deadline (cancelled ones not counted).
    public var pending: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return heap.count - cancelled
    }

    /// Entries in the heap, cancelled ones included (what `pending` costs in memory).
    var stored: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return heap.count
    }

    private func cancel(_ scheduled: Scheduled) {
        pthread_mutex_lock(mutex)
        let dropped = scheduled.action
        if dropped != nil {
            scheduled.action = nil
            cancelled += 1
            if cancelled >= 64, cancelled * 2 >= heap.count { sweep() }
        }
        pthread_mutex_unlock(mutex)
        // `dropped` (and what it captured) is released here, outside the lock.
    }

    /// Drops the cancelled entries; with the mutex held.
    private func sweep() {
        heap.removeAll { $0.action == nil }
        cancelled = 0
    }

    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            let now = SystemTime.monotonic()
            var due: [@Sendable () -> Void] = []
            while let first = heap.first, first.deadline <= now {
                let scheduled = first.element
                heap.popFirst()
                if let action = scheduled.action {
                    scheduled.action = nil
                    due.append(action)
                } else {
                    cancelled -= 1
                }
            }
            if !due.isEmpty {
                pthread_mutex_unlock(mutex)
                for action in due { action() }
                due.removeAll()
                pthread_mutex_lock(mutex)
                continue
            }
            sleepsUntil = heap.first?.deadline ?? .infinity
            if sleepsUntil == .infinity {
                pthread_cond_wait(condition, mutex)
            } else {
                let seconds = sleepsUntil.rounded(.down)
                var until = timespec(tv_sec: Int(seconds), tv_nsec: Int((sleepsUntil - seconds) * 1e9))
                pthread_cond_timedwait(condition, mutex, &until)
            }
        }
    }
}
