import Threads
/// A reference to an actor that takes `Message`s: cheap to copy, Sendable, and stable across restarts
/// of the actor behind it.
public struct ActorRef<Message: Sendable>: Sendable, Hashable, CustomStringConvertible {
    let core: ActorCore<Message>

    init(core: ActorCore<Message>) { self.core = core }

    public var id: UInt64 { core.id }
    public var name: String? { core.name }
    public var status: ActorStatus { core.status }
    /// Messages waiting in the mailbox.
    public var mailboxDepth: Int { core.mailbox.depth }
    /// Lifecycle control, for supervisors.
    public var lifecycle: any ActorLifecycle { core }

    /// Enqueues without waiting, from any thread (async or not). Under `.suspend`, a full mailbox answers `.full`.
    @discardableResult
    public func tell(_ message: Message) -> DeliveryResult {
        core.mailbox.offer(Envelope(message: message, reply: nil))
    }

    /// Enqueues, waiting for room when the mailbox is full and its policy is `.suspend`.
    @discardableResult
    public func send(_ message: Message) async -> DeliveryResult {
        await core.mailbox.send(Envelope(message: message, reply: nil))
    }

    /// Sends the message `make` builds around a `Reply` and waits for the answer, at most `timeout`.
    public func ask<Value: Sendable>(timeout: Duration = .seconds(5),
                                     _ make: (Reply<Value>) -> Message) async throws(AskError) -> Value {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, AskError>, Never>) in
            let reply = Reply<Value>(continuation)
            let delivery = core.mailbox.offer(Envelope(message: make(reply), reply: reply))
            switch delivery {
            case .enqueued, .enqueuedDroppingOldest:
                let (seconds, attoseconds) = timeout.components
                reply.expires(with: DeadlineTimer.shared.schedule(after: Double(seconds) + Double(attoseconds) * 1e-18) { [weak reply] in
                    reply?.failAsk(.timedOut)
                })
            case .full: reply.failAsk(.mailboxFull)
            case .stopped: reply.failAsk(.actorStopped)
            }
        }
        return try result.get()
    }

    public static func == (lhs: ActorRef, rhs: ActorRef) -> Bool { lhs.core === rhs.core }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(core)) }

    public var description: String { "ActorRef(\(name ?? "#\(id)"))" }
}
