import CLinux
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Detached pthreads for work that must stay off Swift's cooperative pool: event loops, timers, and
/// blocking or CPU-heavy work such as script workers. They run with signals blocked.
public enum DedicatedThread {
    private final class Box: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    private static let prefix = Mutex("")

    /// Put before every thread's name (the application's, e.g. `circles-`), so that `top -H` tells the
    /// process's threads apart from a library's; set it before starting threads.
    public static var namePrefix: String {
        get { prefix.withLock { $0 } }
        set { prefix.withLock { $0 = newValue } }
    }

    /// Starts `body` on a new thread named `namePrefix` + `name` (at most 15 bytes, as `top -H` shows it) with
    /// `stackSize` bytes of stack (0: the system's default) and scheduling niceness `nice` (0: as the
    /// process; more: yields the cores to the others, as script workers do to sockets and actors).
    public static func start(_ name: String, stackSize: Int = 0, nice: Int32 = 0, _ body: @escaping @Sendable () -> Void) {
        start(unchecked: name, stackSize: stackSize, nice: nice, body)
    }

    /// Runs `body` on a new thread and returns its result, suspending (not blocking) the caller.
    public static func run<T: Sendable>(_ name: String, stackSize: Int = 0, nice: Int32 = 0,
                                        _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            start(name, stackSize: stackSize, nice: nice) { continuation.resume(returning: body()) }
        }
    }

    static func start(unchecked name: String, stackSize: Int, nice: Int32 = 0, _ body: @escaping () -> Void) {
        let name = namePrefix + name
        let box = Unmanaged.passRetained(Box {
            _ = pthread_setname_np(pthread_self(), String(name.utf8.prefix(15))!)
            if nice != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(circles_thread_id()), nice) }
            body()
        })
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        if stackSize > 0 { pthread_attr_setstacksize(&attributes, stackSize) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        // The thread starts with every signal blocked, as libdispatch's threads do, so that a signal
        // sent to the process reaches a thread that watches for it (SignalWatcher) instead of this one.
        var all = sigset_t(), previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        var thread = pthread_t()
        let rc = pthread_create(&thread, &attributes, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box.toOpaque())
        pthread_attr_destroy(&attributes)
        precondition(rc == 0, "pthread_create failed: \(rc)")
    }
}
