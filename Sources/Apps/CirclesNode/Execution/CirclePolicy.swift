/// What a circle accepts: who may run scripts in it, and the limits its scripts run under.
public struct CirclePolicy: Sendable, Equatable {
    /// When set, only these callers (compressed pubkey hex, or `stripe`/`idenfy`) may run scripts.
    public var allowedCallers: Set<String>?
    public var limits: ScriptLimits
    /// Bounds on the circle's stored data.
    public var dataLimits: DataLimits

    public init(allowedCallers: Set<String>? = nil, limits: ScriptLimits = ScriptLimits(), dataLimits: DataLimits = DataLimits()) {
        self.allowedCallers = allowedCallers
        self.limits = limits
        self.dataLimits = dataLimits
    }

    public func admits(_ caller: String) -> Bool { allowedCallers?.contains(caller) ?? true }
}
