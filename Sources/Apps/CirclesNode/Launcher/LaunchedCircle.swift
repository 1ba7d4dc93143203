/// Where a launched circle listens.
public struct LaunchedCircle: Sendable, Equatable {
    public var name: String
    public var publicKey: String
    public var url: String
}
