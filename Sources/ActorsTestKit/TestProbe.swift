import Actors
import DequeModule
import Synchronization

/// An actor for tests that records every message it receives, so a test can expect what arrives (in
/// order) and what does not. Pass `probe.ref` wherever an `ActorRef<Message>` is needed.
public final class TestProbe<Message: Sendable>: Sendable {
    private struct State {
        var inbox = Deque<Message>()
        var received: [Message] = []
        var waiter: CheckedContinuation<Void, Never>?
    }

    private final class Recorder: ActorBehavior {
        let probe: TestProbe
        init(probe: TestProbe) { self.probe = probe }
        func receive(_ message: Message, context: ActorContext<Message>) async throws { probe.record(message) }
    }

    private let state = Mutex(State())
    private let holder = Mutex<ActorRef<Message>?>(nil)

    public init(system: ActorSystem, name: String? = nil) {
        let ref = system.prepare(name, mailbox: MailboxOptions(capacity: 100_000, overflow: .failFast)) { [unowned self] in
            Recorder(probe: self)
        }
        holder.withLock { $0 = ref }
        ref.lifecycle.start()
    }

    /// The probe's own reference.
    public var ref: ActorRef<Message> { holder.withLock { $0! } }

    /// Every message received so far, in order.
    public var received: [Message] { state.withLock { $0.received } }

    /// The next message not yet expected; fails after `timeout`.
    public func expectMessage(timeout: Duration = .seconds(5)) async throws -> Message {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let message = state.withLock({ $0.inbox.popFirst() }) { return message }
            guard ContinuousClock.now < deadline else { throw TestKitError("no message within \(timeout)") }
            await waitForMessage(until: deadline)
        }
    }

    /// Expects the next message to equal `expected`.
    public func expectMessage(_ expected: Message, timeout: Duration = .seconds(5)) async throws where Message: Equatable {
        let message = try await expectMessage(timeout: timeout)
        guard message == expected else { throw TestKitError("expected \(expected), received \(message)") }
    }

    /// Fails if any message arrives within `duration` (a negative expectation has to wait it out).
    public func expectNoMessage(within duration: Duration) async throws {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            if let message = state.withLock({ $0.inbox.first }) { throw TestKitError("unexpected message \(message)") }
            await waitForMessage(until: deadline)
        }
        if let message = state.withLock({ $0.inbox.first }) { throw TestKitError("unexpected message \(message)") }
    }

    private func record(_ message: Message) {
        let waiter = state.withLock { state in
            state.inbox.append(message)
            state.received.append(message)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Suspends until a message arrives or the deadline passes.
    private func waitForMessage(until deadline: ContinuousClock.Instant) async {
        let timer = Task { [weak self] in
            try? await Task.sleep(until: deadline)
            self?.wakeWaiter()
        }
        defer { timer.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if !state.inbox.isEmpty || ContinuousClock.now >= deadline { return true }
                state.waiter?.resume()
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func wakeWaiter() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
