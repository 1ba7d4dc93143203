import Synchronization

/// The stable part of an actor that references point to: its identity, its mailbox and its lifecycle.
/// The behavior instance behind it may be replaced by restarts; `ActorCell` runs it.
public class ActorCore<Message: Sendable>: @unchecked Sendable {
    public let id: UInt64
    public let name: String?
    let mailbox: Mailbox<Envelope<Message>>
    let system: ActorSystem
    /// Where the actor's processing task runs (nil: Swift's global executor).
    let executor: (any TaskExecutor)?

    struct Lifecycle {
        var status: ActorStatus = .idle
        var restarts = 0
        var lastExit: ActorExit?
        var joiners: [CheckedContinuation<ActorExit, Never>] = []
        var watchers: [UInt64: @Sendable (ActorExit) -> Void] = [:]
        var children: [any ActorLifecycle] = []
        var supervised = false
    }
    let lifecycle = Mutex(Lifecycle())

    init(id: UInt64, name: String?, mailbox: MailboxOptions, executor: (any TaskExecutor)?, system: ActorSystem) {
        self.id = id
        self.name = name
        self.mailbox = Mailbox(options: mailbox)
        self.executor = executor
        self.system = system
    }

    // Overridden by ActorCell.
    func startRun(after error: (any Error)?) {}
    func requestStop() {}
}

/// Where an actor is in its life.
public enum ActorStatus: String, Sendable, Codable {
    case idle, running, failed, stopping, stopped
}
