/// What a behavior can do besides handling a message: know itself, spawn children, watch others, stop.
public struct ActorContext<Message: Sendable>: Sendable {
    let core: ActorCore<Message>

    init(core: ActorCore<Message>) { self.core = core }

    /// This actor.
    public var ref: ActorRef<Message> { ActorRef(core: core) }
    public var system: ActorSystem { core.system }

    /// Starts a child actor; it is stopped (and awaited) when this actor stops.
    @discardableResult
    public func spawn<Child: ActorBehavior>(_ name: String? = nil, mailbox: MailboxOptions = .default,
                                            _ factory: @escaping @Sendable () -> Child) -> ActorRef<Child.Message> {
        let child = core.system.prepare(name, mailbox: mailbox, factory)
        if core.adopt(child.core) { child.core.start() } else { child.core.stop() }
        return child
    }

    /// Delivers `message(exit)` to this actor once `other` stops for good.
    public func watch<Other>(_ other: ActorRef<Other>, with message: @escaping @Sendable (ActorExit) -> Message) {
        let me = ref
        other.core.onTermination(id: core.id) { exit in me.tell(message(exit)) }
    }

    public func unwatch<Other>(_ other: ActorRef<Other>) {
        other.core.removeTerminationHandler(id: core.id)
    }

    /// Stops this actor once the current message is handled.
    public func stop() { core.requestStop() }
}
