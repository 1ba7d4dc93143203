/// Why an `ask` got no answer.
public enum AskError: Error, Sendable, Equatable, CustomStringConvertible {
    case timedOut
    /// The actor had stopped, or stopped before answering.
    case actorStopped
    /// The actor threw while handling the message.
    case actorFailed(String)
    /// The mailbox refused the message.
    case mailboxFull
    /// The handler finished with the message and dropped its reply without answering.
    case noReply

    public var description: String {
        switch self {
        case .timedOut: "the actor did not answer in time"
        case .actorStopped: "the actor has stopped"
        case .actorFailed(let reason): "the actor failed while handling the message: \(reason)"
        case .mailboxFull: "the actor's mailbox is full"
        case .noReply: "the actor dropped the request without answering"
        }
    }
}
