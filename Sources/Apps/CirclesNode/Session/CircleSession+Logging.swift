import Logging

extension CircleSession {
    /// The session's own metadata (circle, session, and the caller once authenticated) with `extra`.
    func logMetadata(_ extra: Logger.Metadata) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["circle": "\(settings.circle)", "session": "\(connection)"]
        if let authenticated { metadata["caller"] = "\(authenticated.hex)" }
        metadata.merge(extra) { _, new in new }
        return metadata
    }

    /// One answered play: its task, request id, outcome and seconds from request to answer.
    func playMetadata(_ target: ReplyTarget, _ outcome: Result<TaskResult, QueueError>, seconds: Double) -> Logger.Metadata {
        var extra: Logger.Metadata = ["outcome": "\(Self.outcomeName(outcome))", "seconds": "\((seconds * 1e6).rounded() / 1e6)"]
        if case .success(let result) = outcome { extra["task"] = "\(result.taskId)" }
        switch target {
        case .single(let id), .batch(_, _, let id): extra["request"] = "\(id.map { "\($0)" } ?? "notification")"
        }
        if authenticated == nil { extra["caller"] = "anonymous" }
        return logMetadata(extra)
    }

    static func outcomeName(_ outcome: Result<TaskResult, QueueError>) -> String {
        switch outcome {
        case .success(let result):
            if case .success = result.outcome { return "completed" }
            return "script_error"
        case .failure(let error):
            return "rejected: \(error)"
        }
    }
}
