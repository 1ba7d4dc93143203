import CirclesNode

extension CirclePolicy {
    /// No operation limit and two minutes of wall clock: for a `HeldScript`, which runs until its test
    /// releases it however loaded the machine is.
    package static var patient: CirclePolicy {
        var policy = CirclePolicy.open
        policy.limits.maxOperations = 0
        policy.limits.timeout = 120
        return policy
    }
}

extension CirclePolicy {
    /// Every caller may play and use the circle's data: for tests of other things than policies.
    package static var open: CirclePolicy { CirclePolicy(grants: [anyone: .all]) }
}
