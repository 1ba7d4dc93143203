import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// Detached pthreads for work that must stay off Swift's cooperative pool: event loops, and blocking
/// or CPU-heavy work such as script workers.
public enum DedicatedThread {
    private final class Box: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Starts `body` on a new thread named `name` (at most 15 bytes, as `top -H` shows it) with
    /// `stackSize` bytes of stack (0: the system's default).
    public static func start(_ name: String, stackSize: Int = 0, _ body: @escaping @Sendable () -> Void) {
        start(unchecked: name, stackSize: stackSize, body)
    }

    /// Runs `body` on a new thread and returns its result, suspending (not blocking) the caller.
    public static func run<T: Sendable>(_ name: String, stackSize: Int = 0, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            start(name, stackSize: stackSize) { continuation.resume(returning: body()) }
        }
    }

    static func start(unchecked name: String, stackSize: Int, _ body: @escaping () -> Void) {
        let box = Unmanaged.passRetained(Box {
            _ = pthread_setname_np(pthread_self(), String(name.utf8.prefix(15))!)
            body()
        })
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        if stackSize > 0 { pthread_attr_setstacksize(&attributes, stackSize) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let rc = pthread_create(&thread, &attributes, { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box.toOpaque())
        pthread_attr_destroy(&attributes)
        precondition(rc == 0, "pthread_create failed: \(rc)")
    }
}
