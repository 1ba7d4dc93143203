/// Seams for ActorsTestKit (package access: not part of the public API).
extension ActorRef {
    /// A context for driving this actor's behavior by hand.
    package func manualContext() -> ActorContext<Message> { ActorContext(core: core) }

    /// The messages waiting in this actor's mailbox, taken out in order.
    package func takeQueued() -> [Message] {
        guard core.mailbox.depth > 0 else { return [] }
        var batch: [Message] = []
        core.mailbox.state.withLock { state in
            while let next = state.queue.popFirst() { batch.append(next.message) }
        }
        return batch
    }
}
