import Actors
import Threads

/// Runs blocking or long CPU `work` on a thread of its own and resumes with its result, so that a
/// test never holds one of the cooperative pool's two threads that the code under test needs.
public func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await DedicatedThread.run("test-thread", stackSize: 8 << 20, work)
}

/// The throwing form of `onDedicatedThread`.
public func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await onDedicatedThread { Result { try work() } }.get()
}
