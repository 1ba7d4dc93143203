import Synchronization

/// Creates actors and keeps the registry that finds them by name.
public final class ActorSystem: Sendable {
    public let name: String
    let registry = Registry()
    private let nextId = Atomic<UInt64>(0)

    public init(name: String = "circles") { self.name = name }

    /// Creates and starts an actor (not supervised: a failure stops it, and watchers hear why).
    @discardableResult
    public func spawn<Behavior: ActorBehavior>(_ name: String? = nil, mailbox: MailboxOptions = .default,
                                               executor: (any TaskExecutor)? = nil,
                                               _ factory: @escaping @Sendable () -> Behavior) -> ActorRef<Behavior.Message> {
        let ref = prepare(name, mailbox: mailbox, executor: executor, factory)
        ref.core.start()
        return ref
    }

    /// Creates an actor without starting it, for a supervisor to start. With `executor`, the actor
    /// processes its messages there (an event loop, next to the connection it serves) instead of on
    /// Swift's global executor.
    public func prepare<Behavior: ActorBehavior>(_ name: String? = nil, mailbox: MailboxOptions = .default,
                                                 executor: (any TaskExecutor)? = nil,
                                                 _ factory: @escaping @Sendable () -> Behavior) -> ActorRef<Behavior.Message> {
        let id = nextId.add(1, ordering: .relaxed).newValue
        return ActorRef(core: ActorCell(id: id, name: name, mailbox: mailbox, executor: executor, system: self, factory: factory))
    }

    /// Makes `ref` findable as `name` until it stops. Throws when the name belongs to a live actor.
    public func register<Message>(_ ref: ActorRef<Message>, as name: String) throws(RegistryError) {
        try registry.add(name, id: ref.id, ref: ref)
        ref.core.onTermination(id: UInt64.max - ref.id) { [registry] _ in registry.remove(name, id: ref.id) }
    }

    /// The live actor registered as `name`, when it takes `Message`s.
    public func lookup<Message>(_ name: String, as type: Message.Type = Message.self) -> ActorRef<Message>? {
        registry.find(name) as? ActorRef<Message>
    }

    public var registeredNames: [String] { registry.names }
}
