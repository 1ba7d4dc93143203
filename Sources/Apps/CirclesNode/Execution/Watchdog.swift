#if canImport(Glibc)
import Glibc
#endif
import Rhai
import Transport

/// Cancels scripts that overrun their wall-clock limit. One thread sleeps until the earliest deadline,
/// so arming a deadline later than that (the usual case: every script gets the same limit) wakes nobody.
///
/// `@unchecked Sendable`: the fields are touched only under `mutex`.
final class Watchdog: @unchecked Sendable {
    private struct Entry {
        var deadline: Double
        var cancellation: Cancellation
    }

    private var entries: [UInt64: Entry] = [:]
    private var sleepsUntil = Double.infinity
    private var nextId: UInt64 = 0
    private var stopped = false
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)
    private let condition: UnsafeMutablePointer<pthread_cond_t> = .allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        DedicatedThread.start("circles-watch") { [self] in watch() }
    }

    /// Cancels `cancellation` in `seconds` unless `disarm` comes first.
    func arm(_ cancellation: Cancellation, after seconds: Double) -> UInt64 {
        let deadline = Self.now() + seconds
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        nextId += 1
        entries[nextId] = Entry(deadline: deadline, cancellation: cancellation)
        if deadline < sleepsUntil { pthread_cond_signal(condition) }
        return nextId
    }

    func disarm(_ id: UInt64) {
        pthread_mutex_lock(mutex)
        entries[id] = nil
        pthread_mutex_unlock(mutex)
    }

    /// Ends the thread; deadlines armed later are never enforced.
    func stop() {
        pthread_mutex_lock(mutex)
        stopped = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    private func watch() {
        pthread_mutex_lock(mutex)
        while !stopped {
            let now = Self.now()
            for (id, entry) in entries where entry.deadline <= now {
                entry.cancellation.cancel()
                entries[id] = nil
            }
            sleepsUntil = entries.values.lazy.map(\.deadline).min() ?? .infinity
            if sleepsUntil == .infinity {
                pthread_cond_wait(condition, mutex)
            } else {
                var until = timespec(tv_sec: Int(sleepsUntil), tv_nsec: Int((sleepsUntil - sleepsUntil.rounded(.down)) * 1e9))
                pthread_cond_timedwait(condition, mutex, &until)
            }
        }
        pthread_mutex_unlock(mutex)
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
