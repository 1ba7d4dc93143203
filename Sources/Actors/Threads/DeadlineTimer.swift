#if canImport(Glibc)
import Glibc
#endif

/// Runs short actions at deadlines on one dedicated thread, which sleeps until the earliest one.
/// Scheduling later than that deadline (the usual case: asks and scripts share their timeouts)
/// wakes nobody, and nothing is ever cancelled: an action that is no longer wanted must do nothing
/// when it runs, typically by capturing what it acts on weakly. This replaces a sleeping task, and
/// the thread switches it costs, per ask and per script.
///
/// `@unchecked Sendable`: the fields are touched only under `mutex`.
public final class DeadlineTimer: @unchecked Sendable {
    private struct Entry {
        var deadline: Double
        var action: @Sendable () -> Void
    }

    /// The process's timer.
    public static let shared = DeadlineTimer(name: "circles-timer")

    /// A min-heap by deadline.
    private var heap: [Entry] = []
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

    /// Runs `action` on the timer's thread in about `seconds`; it must be quick and must not block.
    public func schedule(after seconds: Double, _ action: @escaping @Sendable () -> Void) {
        let deadline = SystemTime.monotonic() + seconds
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        heap.append(Entry(deadline: deadline, action: action))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { break }
            heap.swapAt(child, parent)
            child = parent
        }
        if deadline < sleepsUntil { pthread_cond_signal(condition) }
    }

    /// Actions waiting for their deadline.
    public var pending: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return heap.count
    }

    private func run() {
        pthread_mutex_lock(mutex)
        while true {
            let now = SystemTime.monotonic()
            var due: [@Sendable () -> Void] = []
            while let first = heap.first, first.deadline <= now { due.append(popFirst().action) }
            if !due.isEmpty {
                pthread_mutex_unlock(mutex)
                for action in due { action() }
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

    private func popFirst() -> Entry {
        let first = heap[0]
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != parent else { return first }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
