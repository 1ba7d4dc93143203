/// The lifecycle of a task (SPEC section 5): pending → processing → completed | error.
public enum TaskStatus: String, Sendable, Codable {
    case pending, processing, completed, error

    public var isFinal: Bool { self == .completed || self == .error }
}
