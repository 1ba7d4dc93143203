/// What a queue did with a finished task's result.
public enum Completion: Sendable, Equatable {
    /// Recorded, its writes committed, its caller answered.
    case recorded
    /// The task was already final (a late duplicate): nothing recorded or written.
    case ignored
    /// The attempt no longer held the task's lease or its circle's turn: nothing recorded or written.
    case refused
}
