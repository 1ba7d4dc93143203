/// How an actor's run ended.
public enum ActorExit: Sendable, CustomStringConvertible {
    /// It was stopped (or stopped itself).
    case stopped
    /// A handler or hook threw.
    case failed(String)

    public var description: String {
        switch self {
        case .stopped: "stopped"
        case .failed(let reason): "failed: \(reason)"
        }
    }

    public var isFailure: Bool { if case .failed = self { return true } else { return false } }
}
