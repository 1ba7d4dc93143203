import Synchronization
import Threads

/// A one-shot answer to an `ask`: send it in the message; the actor answers with `succeed` (or `fail`).
/// Dropped without an answer, it fails the ask with `.noReply`.
public final class Reply<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<Value, AskError>, Never>?
        /// For a reply with no waiting `ask` (the test driver's): the answer, kept.
        var kept: Result<Value, AskError>?
        var keeps = false
        /// The ask's timeout, cancelled when the answer comes first.
        var deadline: DeadlineTimer.Scheduled?
    }
    private let state: Mutex<State>
    /// Set once an answer is given: lets the deinit of an answered reply (the usual case) skip the
    /// generic failure path.
    private let answered = Atomic<Bool>(false)

    init(_ continuation: CheckedContinuation<Result<Value, AskError>, Never>) {
        state = Mutex(State(continuation: continuation))
    }

    /// A reply that keeps its answer for `keptAnswer` instead of resuming an `ask`.
    package init() { state = Mutex(State(keeps: true)) }

    package var keptAnswer: Result<Value, AskError>? { state.withLock { $0.kept } }

    deinit {
        if !answered.load(ordering: .acquiring) { complete(.failure(.noReply)) }
    }

    public func succeed(_ value: Value) { complete(.success(value)) }

    /// Answers with an error of the actor's choosing, reported as `.actorFailed`.
    public func fail(_ error: any Error) { complete(.failure(.actorFailed("\(error)"))) }

    /// Whether an answer was already given.
    public var isAnswered: Bool { state.withLock { $0.keeps ? $0.kept != nil : $0.continuation == nil } }

    func complete(_ result: Result<Value, AskError>) {
        answered.store(true, ordering: .releasing)
        let (continuation, deadline) = state.withLock { state in
            if state.keeps, state.kept == nil { state.kept = result }
            defer {
                state.continuation = nil
                state.deadline = nil
            }
            return (state.continuation, state.deadline)
        }
        deadline?.cancel()
        continuation?.resume(returning: result)
    }

    /// Ties the ask's timeout to this reply: cancelled at the answer, or at once if it came already.
    func expires(with deadline: DeadlineTimer.Scheduled) {
        let answered = state.withLock { state -> Bool in
            guard state.continuation != nil else { return true }
            state.deadline = deadline
            return false
        }
        if answered { deadline.cancel() }
    }
}

/// Lets the mailbox fail an ask whose handler threw or that never got handled.
protocol ReplyFailing: Sendable {
    func failAsk(_ error: AskError)
}

extension Reply: ReplyFailing {
    func failAsk(_ error: AskError) { complete(.failure(error)) }
}
