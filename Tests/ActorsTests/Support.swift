import Synchronization
@testable import Actors

/// An async latch: `wait()` suspends until `open()`.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

struct Boom: Error, CustomStringConvertible {
    var description: String { "boom" }
}

/// A counter that reports to a probe; it can block on a gate, fail, or answer asks.
final class Counter: ActorBehavior {
    enum Message: Sendable {
        case add(Int)
        case get(Reply<Int>)
        case block(Gate, entered: Gate)
        case fail
        case report(String)
        case ignore(Reply<Int>)
    }

    let probe: ActorRef<String>?
    var total = 0

    init(probe: ActorRef<String>? = nil) { self.probe = probe }

    func started(context: ActorContext<Message>) async throws { probe?.tell("started") }
    func restarted(after error: any Error, context: ActorContext<Message>) async throws { probe?.tell("restarted after \(error)") }
    func stopped(context: ActorContext<Message>) async { probe?.tell("stopped at \(total)") }

    func receive(_ message: Message, context: ActorContext<Message>) async throws {
        switch message {
        case .add(let amount):
            total += amount
        case .get(let reply):
            reply.succeed(total)
        case .block(let gate, let entered):
            entered.open()
            await gate.wait()
            probe?.tell("unblocked at \(total)")
        case .fail:
            throw Boom()
        case .report(let text):
            probe?.tell("\(text) \(total)")
        case .ignore:
            break
        }
    }
}

// Tests ask with a 60 s timeout: the full suite keeps the two threads of the cooperative pool busy for
// seconds at a time, and an ask's deadline runs on wall time (DeadlineTimer), not on that pool.
