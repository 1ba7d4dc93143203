#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs CPU-heavy test work (fuzz loops, long scripts, thousands of small scripts) off Swift's
/// cooperative pool at a lower priority (nice 10), so that event loops and the other suites' servers,
/// which have timeouts to keep, get the two cores first.
public enum BackgroundThread {
    private static let worker = Worker()

    /// Runs `work` on a low-priority thread of its own and returns its result.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await onDedicatedThread {
            lowerPriority()
            return work()
        }
    }

    /// The throwing form of `run`.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await run { Result { try work() } }.get()
    }

    /// Runs `work` on the one shared low-priority thread, after the jobs queued before it: for many
    /// small jobs, which must not each start a thread.
    public static func serial<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            worker.submit { continuation.resume(returning: work()) }
        }
    }

    /// Lowers the calling thread's priority to nice 10 (Linux: per thread).
    public static func lowerPriority() {
        var link = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &link, link.count)
        guard count > 0 else { return }
        // "PID/task/TID"
        let path = String(decoding: link.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let last = path.split(separator: "/").last, let thread = id_t(last) else { return }
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, 10)
    }

    private final class Worker: @unchecked Sendable {
        private let condition = NSCondition()
        private var jobs: [@Sendable () -> Void] = []

        init() {
            let thread = Thread { [self] in
                BackgroundThread.lowerPriority()
                while true {
                    condition.lock()
                    while jobs.isEmpty { condition.wait() }
                    let job = jobs.removeFirst()
                    condition.unlock()
                    job()
                }
            }
            thread.stackSize = 64 << 20
            thread.start()
        }

        func submit(_ job: @escaping @Sendable () -> Void) {
            condition.lock()
            jobs.append(job)
            condition.signal()
            condition.unlock()
        }
    }
}
