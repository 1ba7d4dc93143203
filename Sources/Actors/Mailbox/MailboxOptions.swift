/// The size and overflow behaviour of an actor's mailbox.
public struct MailboxOptions: Sendable, Equatable {
    public var capacity: Int
    public var overflow: OverflowPolicy

    public init(capacity: Int = 1024, overflow: OverflowPolicy = .suspend) {
        self.capacity = max(1, capacity)
        self.overflow = overflow
    }

    public static let `default` = MailboxOptions()
}
