import CirclesCore

/// A script to run in a circle's context on behalf of a caller.
package struct ScriptTask: Sendable, Equatable {
    package var id: String
    /// The circle's compressed public key hex: the context the script runs in.
    package var circle: String
    /// The caller's id: an authenticated pubkey, or `stripe` / `idenfy` for webhooks.
    package var caller: String
    package var script: String
    /// Extra constants for the script (e.g. `WEBHOOK_EVENT`, `WEBHOOK_PROVIDER`).
    package var constants: JSONObject
    package var createdAt: Double
    /// Wall-clock limit for the run, in seconds (nil: the worker's default).
    package var timeout: Double?
    /// Set by a task source that will not let the task run (a bad signature): the worker records this
    /// failure instead of running the script.
    package var rejection: ScriptFailure?
    /// The lease token of the attempt running the task (set by the queue that hands it out): the
    /// fence its commit is checked against. Not part of the task's identity (`==`).
    package var lease = ""
    /// Seconds the task waited from its queueing to the start of its turn (set when it is handed out).
    package var waited = 0.0

    package init(id: String = ScriptTask.newId(), circle: String, caller: String, script: String,
                constants: JSONObject = [:], createdAt: Double, timeout: Double? = nil) {
        self.id = id
        self.circle = circle
        self.caller = caller
        self.script = script
        self.constants = constants
        self.createdAt = createdAt
        self.timeout = timeout
    }

    /// The same task (id, circle, caller, script, constants, times), whichever attempt runs it.
    package static func == (a: ScriptTask, b: ScriptTask) -> Bool {
        a.id == b.id && a.circle == b.circle && a.caller == b.caller && a.script == b.script && a.constants == b.constants
            && a.createdAt == b.createdAt && a.timeout == b.timeout
    }

    /// 128 random bits as 32 hex characters.
    package static func newId() -> String { RandomHex.make(words: 2) }
}

