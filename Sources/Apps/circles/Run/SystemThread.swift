import Glibc

/// A POSIX thread for `circles run`: the script's thread (a large stack, joined) and the timeout's
/// (detached), without Foundation's `Thread` machinery.
final class SystemThread {
    private let body: () -> Void

    private init(_ body: @escaping () -> Void) {
        self.body = body
    }

    /// Runs `body` on a new thread with `stackSize` bytes of stack and waits for it to end.
    static func join(stackSize: Int, _ body: @escaping () -> Void) {
        guard let thread = start(stackSize: stackSize, body) else {
            fatalError("circles run: cannot start a thread")
        }
        pthread_join(thread, nil)
    }

    /// Runs `body` on a new thread that nobody waits for.
    static func detach(_ body: @escaping () -> Void) {
        guard let thread = start(stackSize: 1 << 20, body) else {
            fatalError("circles run: cannot start a thread")
        }
        pthread_detach(thread)
    }

    /// Sleeps `seconds` (up to about 31 years; more is as long), through signal interruptions.
    static func sleep(seconds: Double) {
        let clamped = min(max(seconds, 0), 1e9)
        var request = timespec(tv_sec: Int(clamped), tv_nsec: Int((clamped - clamped.rounded(.down)) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }

    private static func start(stackSize: Int, _ body: @escaping () -> Void) -> pthread_t? {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        let context = Unmanaged.passRetained(SystemThread(body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { context in
            Unmanaged<SystemThread>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        guard started == 0 else {
            Unmanaged<SystemThread>.fromOpaque(context).release()
            return nil
        }
        return thread
    }
}
