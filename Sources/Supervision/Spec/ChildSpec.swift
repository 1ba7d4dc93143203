import Actors

/// How a supervisor starts, restarts and stops one child (OTP's child specification).
public struct ChildSpec: Sendable {
    public var id: String
    public var restart: RestartType
    public var shutdown: ShutdownPolicy
    public var kind: ChildKind
    /// Starts a run; receives the failure that ended the previous run, if any.
    public var start: @Sendable (_ previousFailure: String?) async throws -> any RunningChild

    public init(id: String, restart: RestartType = .permanent, shutdown: ShutdownPolicy = .default, kind: ChildKind = .worker,
                start: @escaping @Sendable (_ previousFailure: String?) async throws -> any RunningChild) {
        self.id = id
        self.restart = restart
        self.shutdown = shutdown
        self.kind = kind
        self.start = start
    }

    /// A service made afresh by `factory` on every (re)start.
    public static func service(_ id: String, restart: RestartType = .permanent, shutdown: ShutdownPolicy = .default,
                               _ factory: @escaping @Sendable () throws -> any Service) -> ChildSpec {
        ChildSpec(id: id, restart: restart, shutdown: shutdown) { _ in ServiceRun(try factory()) }
    }

    /// An actor whose reference stays the same across restarts: a failure gives it a fresh behavior from
    /// its factory, and the messages waiting in its mailbox are kept.
    public static func actor<Message>(_ id: String, _ ref: ActorRef<Message>, restart: RestartType = .permanent,
                                      shutdown: ShutdownPolicy = .default) -> ChildSpec {
        ref.lifecycle.setSupervised()
        return ChildSpec(id: id, restart: restart, shutdown: shutdown) { previous in
            if let previous { ref.lifecycle.restart(after: RestartReason(description: previous)) } else { ref.lifecycle.start() }
            return ActorRun(lifecycle: ref.lifecycle)
        }
    }

    /// A nested supervisor, made afresh by `factory` on every (re)start; its escalation is its failure.
    public static func supervisor(_ id: String, restart: RestartType = .permanent, shutdown: ShutdownPolicy = .graceful(timeout: .seconds(30)),
                                  _ factory: @escaping @Sendable () -> Supervisor) -> ChildSpec {
        ChildSpec(id: id, restart: restart, shutdown: shutdown, kind: .supervisor) { _ in
            SupervisorRun(factory())
        }
    }
}

/// The failure of a previous run, handed to an actor's `restarted(after:)` hook.
public struct RestartReason: Error, Sendable, CustomStringConvertible {
    public var description: String
}
