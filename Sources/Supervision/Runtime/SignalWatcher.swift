#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Turns SIGINT and SIGTERM into a callback, on a dispatch queue (never Swift's cooperative pool).
/// `@unchecked Sendable`: the sources are created in `init` and only cancelled afterwards (thread-safe).
public final class SignalWatcher: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let queue = DispatchQueue(label: "circles.signals")
    private let registered = DispatchGroup()

    /// Calls `handler` with the signal number each time one of `signals` arrives.
    public init(signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (Int32) -> Void) {
        let (queue, registered) = (self.queue, self.registered)
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            registered.enter()
            source.setRegistrationHandler { registered.leave() }
            source.resume()
            return source
        }
    }

    /// Returns once every signal is watched: libdispatch registers sources asynchronously, and the
    /// signal is ignored until then.
    public func ready() async {
        let (queue, registered) = (self.queue, self.registered)
        await withCheckedContinuation { continuation in registered.notify(queue: queue) { continuation.resume() } }
    }

    public func cancel() {
        for source in sources { source.cancel() }
    }
}
