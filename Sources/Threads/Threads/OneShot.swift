#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A value handed from any thread to one thread that blocks until it arrives: how dedicated threads
/// (script workers) wait for work without a trip through Swift's cooperative pool. Never wait on it
/// from an async context.
///
/// `@unchecked Sendable`: `value` and `asleep` are read and written only under `mutex`.
public final class OneShot<Value: Sendable>: @unchecked Sendable {
    private var value: Value?
    private let delivered = Atomic<Bool>(false)
    /// A waiter is asleep on `condition` (past its polling); under `mutex`.
    private var asleep = false
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)
    private let condition: UnsafeMutablePointer<pthread_cond_t> = .allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Delivers `value` and wakes the waiter; returns false (and drops `value`) when one was delivered already.
    @discardableResult
    public func fulfil(_ value: Value) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard self.value == nil else { return false }
        self.value = value
        delivered.store(true, ordering: .releasing)
        pthread_cond_signal(condition)
        return true
    }

    /// Blocks the calling thread until the value is there (polling for `BusyPoll`'s window first).
    public func wait() -> Value {
        _ = BusyPoll.poll { delivered.load(ordering: .acquiring) }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while value == nil {
            asleep = true
            pthread_cond_wait(condition, mutex)
        }
        asleep = false
        return value!
    }

    /// Whether a waiter has stopped polling and sleeps until the value comes (tests).
    var hasSleepingWaiter: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return asleep
    }
}
