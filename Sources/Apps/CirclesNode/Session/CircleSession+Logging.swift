import Logging

extension CircleSession {
    /// The session's own metadata (circle, session, and the caller once authenticated) with `extra`.
    func logMetadata(_ extra: Logger.Metadata) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["circle": "\(settings.circle)", "session": "\(connection)"]
        if let authenticated { metadata["caller"] = "\(authenticated.hex)" }
        metadata.merge(extra) { _, new in new }
        return metadata
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
