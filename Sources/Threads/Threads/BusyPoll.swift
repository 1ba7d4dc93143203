#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// How long a thread that runs out of work keeps polling for more before it sleeps (event loops,
/// script workers, blocking Redis readers). Waking a sleeping thread costs tens of microseconds on a
/// virtual machine (the idle CPU halts and needs an interrupt); a poller sees the next message at
/// once. Pollers yield the core between polls, so runnable threads are not held up, but an idle
/// process burns up to one window of CPU after each burst of work.
///
/// The window is process-wide: 100 µs when the process may use two or more cores, 0 (off) on one,
/// unless the application sets `microseconds`.
public enum BusyPoll {
    private static let window = Atomic<Int>(defaultMicroseconds)

    /// The polling window in microseconds (0: sleep at once).
    public static var microseconds: Int {
        get { window.load(ordering: .relaxed) }
        set { window.store(max(0, newValue), ordering: .relaxed) }
    }

    /// Calls `ready` until it returns true or the window has passed, yielding the core between calls;
    /// returns what the last call returned (false at once when polling is off).
    @inline(__always)
    public static func poll(_ ready: () -> Bool) -> Bool {
        poll(microseconds: microseconds, ready)
    }

    /// `poll` with a window of its own.
    @inline(__always)
    public static func poll(microseconds micros: Int, _ ready: () -> Bool) -> Bool {
        guard micros > 0 else { return false }
        let until = SystemTime.monotonic() + Double(micros) / 1e6
        while true {
            if ready() { return true }
            if SystemTime.monotonic() >= until { return false }
            sched_yield()
        }
    }

    private static var defaultMicroseconds: Int { UsableCores.count > 1 ? 100 : 0 }
}
