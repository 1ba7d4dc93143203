/// The lifecycle of a task (SPEC section 5): pending → processing → completed | error.
package enum TaskStatus: String, Sendable, Codable {
    case pending, processing, completed, error

    package var isFinal: Bool { self == .completed || self == .error }
}
