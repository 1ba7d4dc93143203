import Actors
/// Drives one behavior by hand in a test: each `send` runs `receive` to completion before returning, so
/// replies and state changes can be asserted right after, with no timing involved. Messages the behavior
/// sends to itself are kept in its (never started) mailbox; `selfMessages` takes them.
public final class BehaviorDriver<Behavior: ActorBehavior>: @unchecked Sendable {
    public let behavior: Behavior
    public let ref: ActorRef<Behavior.Message>
    private let context: ActorContext<Behavior.Message>

    /// Wraps `behavior` and runs its `started` hook.
    public init(_ behavior: Behavior, system: ActorSystem = ActorSystem(name: "test")) async throws {
        self.behavior = behavior
        let box = UncheckedBox(behavior)
        ref = system.prepare { box.value }
        context = ref.manualContext()
        try await behavior.started(context: context)
    }

    /// Handles `message` now.
    public func send(_ message: Behavior.Message) async throws {
        try await behavior.receive(message, context: context)
    }

    /// Handles the message built around a reply and returns the answer given during handling.
    public func ask<Value: Sendable>(_ make: (Reply<Value>) -> Behavior.Message) async throws -> Value {
        let reply = Reply<Value>()
        try await behavior.receive(make(reply), context: context)
        guard let answer = reply.keptAnswer else { throw TestKitError("the behavior did not answer while handling the message") }
        return try answer.get()
    }

    /// Messages the behavior sent to itself since the last call, in order.
    public func selfMessages() -> [Behavior.Message] {
        ref.takeQueued()
    }

    /// Runs the `stopped` hook.
    public func stop() async { await behavior.stopped(context: context) }
}

private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
