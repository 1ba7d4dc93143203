#if canImport(Glibc)
import Glibc
#endif
import Actors
import Threads

/// Waiting on conditions, never on fixed sleeps.
public enum Wait {
    public struct TimedOut: Error, CustomStringConvertible {
        public var description: String
    }

    /// Polls `condition` (every 10 ms) until it holds; throws after `timeout` seconds.
    /// Blocks the calling thread: only for synchronous fixtures, never from a test body (use `until`).
    @available(*, noasync, message: "use `until`: polling with usleep blocks a thread of the cooperative pool")
    public static func blockingUntil(timeout: Double, _ what: String, _ condition: () -> Bool) throws {
        let deadline = now() + timeout
        while !condition() {
            guard now() < deadline else { throw TimedOut(description: "timed out after \(timeout) s waiting for \(what)") }
            usleep(10_000)  // ok: polling a condition
        }
    }

    /// The async form: polls `condition` until it holds; throws after `timeout` seconds.
    public static func until(timeout: Double, _ what: String, _ condition: () async -> Bool) async throws {
        let deadline = now() + timeout
        while !(await condition()) {
            guard now() < deadline else { throw TimedOut(description: "timed out after \(timeout) s waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(10))  // ok: polling a condition
        }
    }

    public static func now() -> Double { SystemTime.monotonic() }
}
