/// More than `maxRestarts` restarts within `period` seconds make the supervisor give up: it stops its
/// children and fails to its own parent.
public struct RestartIntensity: Sendable, Equatable {
    public var maxRestarts: Int
    public var period: Double

    public init(maxRestarts: Int = 3, period: Double = 5) {
        self.maxRestarts = maxRestarts
        self.period = period
    }
}
