/// What happened to a message handed to a mailbox.
public enum DeliveryResult: Sendable, Equatable {
    case enqueued
    /// Enqueued after discarding the oldest waiting message (`.dropOldest`).
    case enqueuedDroppingOldest
    /// Refused: the mailbox is full (`.failFast`, or a synchronous `tell` under `.suspend`).
    case full
    /// Refused: the actor has stopped.
    case stopped

    public var accepted: Bool { self == .enqueued || self == .enqueuedDroppingOldest }
}
