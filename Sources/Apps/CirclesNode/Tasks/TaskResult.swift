import CirclesCore

/// What running a task produced: its final value as a string, or a failure; printed lines either way.
package struct TaskResult: Sendable, Equatable {
    package var taskId: String
    package var outcome: Result<String, ScriptFailure>
    package var logs: [String]

    package init(taskId: String, outcome: Result<String, ScriptFailure>, logs: [String] = []) {
        self.taskId = taskId
        self.outcome = outcome
        self.logs = logs
    }

    package var status: TaskStatus {
        if case .success = outcome { return .completed }
        return .error
    }

    /// The JSON pushed to `rhailib:reply:{task_id}`.
    package var json: JSON {
        var object: JSONObject = ["task_id": .string(taskId), "status": .string(status.rawValue)]
        switch outcome {
        case .success(let output): object["output"] = .string(output)
        case .failure(let failure): object["error"] = failure.json
        }
        object["logs"] = .array(logs.map(JSON.string))
        return .object(object)
    }

    /// Reads ours, and an original rhailib worker's task details (`output` possibly null, `error` a
    /// plain string, read as a runtime failure).
    package init?(json: JSON) {
        guard let taskId = json["task_id"]?.stringValue, let status = json["status"]?.stringValue else { return nil }
        let logs = json["logs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if status == TaskStatus.completed.rawValue, let output = json["output"]?.stringValue ?? (json["output"] == .null ? "" : nil) {
            self.init(taskId: taskId, outcome: .success(output), logs: logs)
        } else if status == TaskStatus.error.rawValue, let failure = json["error"].flatMap(ScriptFailure.init(json:)) {
            self.init(taskId: taskId, outcome: .failure(failure), logs: logs)
        } else if status == TaskStatus.error.rawValue, let message = json["error"]?.stringValue {
            self.init(taskId: taskId, outcome: .failure(ScriptFailure(kind: .runtime, message: message)), logs: logs)
        } else {
            return nil
        }
    }
}
