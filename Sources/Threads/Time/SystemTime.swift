#if canImport(Glibc)
import Glibc
#endif

/// Seconds from the system's clocks: the monotonic one for deadlines and durations, the wall clock
/// for timestamps that are stored or sent.
public enum SystemTime {
    /// Seconds on the monotonic clock (since boot): never goes back, means nothing as a date.
    public static func monotonic() -> Double { read(CLOCK_MONOTONIC) }

    /// Seconds since 1970 (UTC).
    public static func wall() -> Double { read(CLOCK_REALTIME) }

    private static func read(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
