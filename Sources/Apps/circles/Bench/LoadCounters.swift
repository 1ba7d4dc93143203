import Synchronization

/// Shared counters of a load run: tickets handed out, plays done, plays failed.
final class LoadCounters: Sendable {
    let issued = Atomic<Int>(0)
    let completed = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
}
