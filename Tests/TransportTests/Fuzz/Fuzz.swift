#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

/// The fuzz suites, one at a time: each is seconds of CPU, and two at once would take both cores
/// from the suites running beside them, whose servers have timeouts to keep.
@Suite(.serialized) enum Fuzz {
    /// Runs a fuzz loop on a thread of its own (never on the cooperative pool), at a lower priority
    /// (nice 10) so that event loops and other tests' threads come first.
    static func run(_ work: @escaping @Sendable () -> FuzzFindings) async -> FuzzFindings {
        await onDedicatedThread {
            lowerPriority()
            return work()
        }
    }

    private static func lowerPriority() {
        var link = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &link, link.count)
        guard count > 0 else { return }
        // "PID/task/TID"
        let path = String(decoding: link.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let last = path.split(separator: "/").last, let thread = id_t(last) else { return }
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, 10)
    }
}
