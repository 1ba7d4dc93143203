import Synchronization

/// A flag another thread sets to stop a running script (`ErrorTerminated`); checked every few thousand operations.
public final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
