#if canImport(Glibc)
import Glibc
#endif

/// The transaction of the task running on this thread: the data functions of a circle's engine are
/// shared by its tasks, so they find the running task's buffer here.
enum CurrentTransaction {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static var current: CircleTransaction? {
        pthread_getspecific(key).map { Unmanaged<CircleTransaction>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs `body` with `transaction` as this thread's current one.
    static func with<R>(_ transaction: CircleTransaction, _ body: () -> R) -> R {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(transaction).toOpaque())
        defer { pthread_setspecific(key, previous) }
        return withExtendedLifetime(transaction) { body() }
    }
}
