/// What a full mailbox does with one more message.
public enum OverflowPolicy: Sendable, Equatable {
    /// The sender waits for room (`send`); a synchronous `tell` reports `.full` instead.
    case suspend
    /// The message is refused at once (`.full`).
    case failFast
    /// The oldest waiting message is discarded to make room.
    case dropOldest
}
