import Synchronization

/// A fixed set of event loops (one per core by default); new connections go round-robin.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let next = Atomic<Int>(0)

    public init(loops count: Int = EventLoopGroup.coreCount) {
        loops = (0..<max(1, count)).map { _ in EventLoop() }
    }

    /// A group of loops that already run (one of another group's, to place a connection on it).
    public init(_ loops: [EventLoop]) {
        precondition(!loops.isEmpty, "a group needs a loop")
        self.loops = loops
    }

    /// The loop the caller runs on (holds the turn of), if it is one of this group's.
    public var current: EventLoop? { loops.first { $0.inLoop } }

    public func nextLoop() -> EventLoop {
        loops[next.add(1, ordering: .relaxed).oldValue % loops.count]
    }

    public func shutdown() {
        for loop in loops { loop.shutdown() }
    }

    /// The cores the process may run on (its CPU affinity).
    public static var coreCount: Int { UsableCores.count }

    /// A group shared by whoever needs one and does not bring its own.
    public static let shared = EventLoopGroup()
}

#if canImport(Glibc)
import Glibc
import Threads
#endif
