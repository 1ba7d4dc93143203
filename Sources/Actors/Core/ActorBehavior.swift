/// What an actor does. Its state lives in the conforming class and is touched only by the actor's own
/// processing loop, one message at a time and in order, even when `receive` awaits.
public protocol ActorBehavior: AnyObject, SendableMetatype {
    associatedtype Message: Sendable

    /// Handles one message. Throwing fails the actor: a supervisor may restart it with fresh state.
    func receive(_ message: Message, context: ActorContext<Message>) async throws
    /// Called before the first message.
    func started(context: ActorContext<Message>) async throws
    /// Called on a fresh instance after a failure, before it takes the next message (default: `started`).
    func restarted(after error: any Error, context: ActorContext<Message>) async throws
    /// Called once when the actor stops for good.
    func stopped(context: ActorContext<Message>) async
}

extension ActorBehavior {
    public func started(context: ActorContext<Message>) async throws {}
    public func restarted(after error: any Error, context: ActorContext<Message>) async throws {
        try await started(context: context)
    }
    public func stopped(context: ActorContext<Message>) async {}
}
