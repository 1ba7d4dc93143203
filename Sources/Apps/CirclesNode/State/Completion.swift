import CirclesCore

/// What a queue did with a finished task's result.
package enum Completion: Sendable, Equatable {
    /// Recorded, its writes committed, its caller answered.
    case recorded
    /// The commit of its writes failed (the store): recorded as this failure, nothing written.
    case commitFailed(ScriptFailure)
    /// The task was already final (a late duplicate): nothing recorded or written.
    case ignored
    /// The attempt no longer held the task's lease or its circle's turn: nothing recorded or written.
    case refused
}
