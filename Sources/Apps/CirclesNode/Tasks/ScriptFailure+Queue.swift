import CirclesCore

extension ScriptFailure {
    /// A task delivered `deliveries` times without a result: it goes to its circle's dead-letter list.
    static func deadLettered(after deliveries: Int) -> ScriptFailure {
        ScriptFailure(kind: .runtime, message: "task abandoned after \(deliveries) deliveries; moved to the dead-letter list")
    }

    /// A task made final before any worker took it, because nobody waits for it any more (`reason`).
    static func withdrawn(because reason: String) -> ScriptFailure {
        ScriptFailure(kind: .timeout, message: "withdrawn: \(reason), before a worker took it")
    }
}
